/**
 * UTC calendar quota periods, pure (clock injected). AWS QuotaSettings: `period` is DAY, WEEK or
 * MONTH and `offset` is "the day that a time period starts. For example, with a time period of
 * WEEK, an offset of 0 starts on Sunday, and an offset of 1 starts on Monday". AWS accepts 0 for
 * DAY, 0–6 for WEEK and 0–27 for MONTH (day 1 + offset). Larger MONTH offsets (from documents
 * written by hand) start on the month's last day when the month is shorter.
 */
import type { QuotaSettings } from './types'

const DAY_MS = 86_400_000

/** The part of the quota that decides where periods start. */
export type PeriodSettings = Pick<QuotaSettings, 'period' | 'offset'>

/** Epoch ms of the start of the period that contains `now` (inclusive). */
export function periodStart(now: number, quota: PeriodSettings): number {
  const today = Math.floor(now / DAY_MS) * DAY_MS
  switch (quota.period) {
    case 'DAY':
      // AWS: DAY periods take no offset; they start at 00:00 UTC.
      return today
    case 'WEEK': {
      // getUTCDay: 0 = Sunday, as AWS's offset.
      const back = (new Date(today).getUTCDay() - weekOffset(quota.offset) + 7) % 7
      return today - back * DAY_MS
    }
    case 'MONTH': {
      const date = new Date(today)
      const year = date.getUTCFullYear()
      const month = date.getUTCMonth()
      const here = monthStart(year, month, quota.offset)
      return now >= here ? here : monthStart(year, month - 1, quota.offset)
    }
  }
}

/** Epoch ms of the end of the period that contains `now` (exclusive: the next period's start). */
export function periodEnd(now: number, quota: PeriodSettings): number {
  const start = periodStart(now, quota)
  switch (quota.period) {
    case 'DAY':
      return start + DAY_MS
    case 'WEEK':
      return start + 7 * DAY_MS
    case 'MONTH': {
      const date = new Date(start)
      return monthStart(date.getUTCFullYear(), date.getUTCMonth() + 1, quota.offset)
    }
  }
}

/** The UTC day of `now` as `YYYY-MM-DD` (the `usage.day` column). */
export function utcDay(now: number): string {
  return new Date(Math.floor(now / DAY_MS) * DAY_MS).toISOString().slice(0, 10)
}

/** Start of the MONTH period in (year, month) — month may be out of range (Date.UTC wraps it). */
function monthStart(year: number, month: number, offset: number): number {
  const first = new Date(Date.UTC(year, month, 1))
  const days = daysInMonth(first.getUTCFullYear(), first.getUTCMonth())
  const day = Math.min(1 + dayOffset(offset), days)
  return Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), day)
}

/** Days in a month (0-based month), leap years included. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
}

function weekOffset(offset: number): number {
  return dayOffset(offset) % 7
}

/** A usable day offset: a non-negative integer (validation upstream; never throw on the hot path). */
function dayOffset(offset: number): number {
  return Number.isFinite(offset) && offset > 0 ? Math.floor(offset) : 0
}
