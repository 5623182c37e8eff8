/**
 * Guards for the JSON columns of `api_keys` and `usage_plans` (migrations/0002). D1 rows are
 * external input (an operator may write them with `wrangler d1 execute`), so each column is parsed
 * and checked; a malformed one is an error, never a silently absent limit (that would fail open).
 */
import type { QuotaSettings, ThrottleSettings } from '../rate-limit/types'
import { err, ok, type Result } from '../result'
import type { UsagePlanApiStage } from '../storage/usage-plan-types'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isLimit(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

function parseText(text: string, column: string): Result<unknown, string> {
  try {
    return ok(JSON.parse(text))
  } catch {
    return err(`${column} is not JSON`)
  }
}

/** A throttle object `{rateLimit, burstLimit}` (both finite, ≥ 0; burst an integer). */
export function toThrottle(value: unknown): Result<ThrottleSettings, string> {
  if (!isRecord(value)) return err('throttle is not an object')
  const { rateLimit, burstLimit } = value
  if (!isLimit(rateLimit) || !isLimit(burstLimit) || !Number.isInteger(burstLimit)) {
    return err('throttle needs rateLimit ≥ 0 and an integer burstLimit ≥ 0')
  }
  return ok({ rateLimit, burstLimit })
}

/** A quota object `{limit, period, offset}` with AWS's offset ranges. */
export function toQuota(value: unknown): Result<QuotaSettings, string> {
  if (!isRecord(value)) return err('quota is not an object')
  const { limit, period, offset } = value
  if (!isLimit(limit) || !Number.isInteger(limit)) return err('quota limit must be an integer ≥ 0')
  if (period !== 'DAY' && period !== 'WEEK' && period !== 'MONTH') {
    return err('quota period must be DAY, WEEK or MONTH')
  }
  const maxOffset = period === 'DAY' ? 0 : period === 'WEEK' ? 6 : 27
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > maxOffset) {
    return err(`quota offset for ${period} must be an integer from 0 to ${String(maxOffset)}`)
  }
  return ok({ limit, period, offset })
}

function toApiStage(value: unknown): Result<UsagePlanApiStage, string> {
  if (!isRecord(value)) return err('apiStages entry is not an object')
  const { apiId, stage, throttle } = value
  if (typeof apiId !== 'string' || typeof stage !== 'string') {
    return err('apiStages entry needs apiId and stage')
  }
  if (throttle === undefined) return ok({ apiId, stage })
  if (!isRecord(throttle)) return err('apiStages throttle is not an object')
  const out: Record<string, ThrottleSettings> = {}
  for (const [method, settings] of Object.entries(throttle)) {
    const parsed = toThrottle(settings)
    if (!parsed.ok) return err(`apiStages throttle ${method}: ${parsed.error}`)
    out[method] = parsed.value
  }
  return ok({ apiId, stage, throttle: out })
}

/** The `api_stages` column. */
export function parseApiStages(text: string): Result<UsagePlanApiStage[], string> {
  const parsed = parseText(text, 'api_stages')
  if (!parsed.ok) return parsed
  if (!Array.isArray(parsed.value)) return err('api_stages is not an array')
  const out: UsagePlanApiStage[] = []
  for (const entry of parsed.value) {
    const stage = toApiStage(entry)
    if (!stage.ok) return stage
    out.push(stage.value)
  }
  return ok(out)
}

/** A nullable JSON column through `guard`; SQL NULL is `undefined`. */
export function parseOptional<T>(
  text: string | null,
  column: string,
  guard: (value: unknown) => Result<T, string>
): Result<T | undefined, string> {
  if (text === null) return ok(undefined)
  const parsed = parseText(text, column)
  return parsed.ok ? guard(parsed.value) : parsed
}

/** A tags map: string values only. */
export function toTags(value: unknown): Result<Record<string, string>, string> {
  if (!isRecord(value)) return err('tags is not an object')
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') return err(`tag ${k} is not a string`)
    out[k] = v
  }
  return ok(out)
}
