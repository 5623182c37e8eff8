/**
 * AWS GetUsage `values`: for each key, one `[used, remaining]` pair per day from startDate to
 * endDate. `remaining` is what the plan's quota had left at the end of that day in that day's
 * quota period (so a WEEK or MONTH quota counts days before startDate that fall in the period);
 * without a quota it is 0. Pure.
 */
import { periodStart, utcDay } from '../rate-limit/quota-period'
import type { QuotaSettings } from '../rate-limit/types'
import { err, ok, type Result } from '../result'
import type { UsageRow } from '../storage/usage-reader'

const DAY_MS = 86_400_000
/** Bounds one response: a year of days per key. */
export const MAX_USAGE_DAYS = 366

/** Epoch ms of a strict `YYYY-MM-DD` calendar date, or null. */
export function parseDay(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null
  const ms = Date.parse(`${text}T00:00:00Z`)
  // Date.parse accepts 2024-02-30 in some engines; the round trip rejects it.
  return Number.isNaN(ms) || utcDay(ms) !== text ? null : ms
}

/** Validated range: both dates real, start ≤ end, at most MAX_USAGE_DAYS days. */
export function usageRange(
  startDate: string,
  endDate: string
): Result<{ start: number; end: number }, string> {
  const start = parseDay(startDate)
  const end = parseDay(endDate)
  if (start === null) return err("'startDate' must be a date as YYYY-MM-DD")
  if (end === null) return err("'endDate' must be a date as YYYY-MM-DD")
  if (end < start) return err("'endDate' must not be before 'startDate'")
  if ((end - start) / DAY_MS + 1 > MAX_USAGE_DAYS) {
    return err(`The date range must not exceed ${String(MAX_USAGE_DAYS)} days`)
  }
  return ok({ start, end })
}

/** The first day whose usage is needed: the start of startDate's quota period, if earlier. */
export function firstNeededDay(start: number, quota: QuotaSettings | undefined): number {
  return quota === undefined ? start : Math.min(start, periodStart(start, quota))
}

/** `values` for `keyIds` over [start, end] from the rows (which may begin before start). */
export function usageValues(
  keyIds: readonly string[],
  rows: readonly UsageRow[],
  range: { start: number; end: number },
  quota: QuotaSettings | undefined
): Record<string, [number, number][]> {
  const used = new Map<string, number>()
  for (const row of rows) used.set(`${row.keyId} ${row.day}`, row.used)
  const values: Record<string, [number, number][]> = {}
  for (const keyId of keyIds) {
    const days: [number, number][] = []
    let spent = 0
    let period = -1
    for (let day = firstNeededDay(range.start, quota); day <= range.end; day += DAY_MS) {
      const count = used.get(`${keyId} ${utcDay(day)}`) ?? 0
      if (quota !== undefined) {
        const starts = periodStart(day, quota)
        if (starts !== period) {
          period = starts
          spent = 0
        }
      }
      spent += count
      const remaining = quota === undefined ? 0 : Math.max(0, quota.limit - spent)
      if (day >= range.start) days.push([count, remaining])
    }
    values[keyId] = days
  }
  return values
}
