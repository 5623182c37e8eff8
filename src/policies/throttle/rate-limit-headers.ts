/**
 * IETF `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers,
 * structured-field lists) and `Retry-After`, from one bucket's answer. They describe only the
 * caller's own bucket: no partition key, no other key's numbers.
 *
 *   RateLimit-Policy: "burst";q=50;w=5, "quota";q=1000;w=86400
 *   RateLimit: "burst";r=12;t=4, "quota";r=734;t=5123
 */
import type { ConsumeRequest, ConsumeResult, QuotaPeriod } from '../../rate-limit/types'

const PERIOD_SECONDS: Partial<Record<QuotaPeriod, number>> = { DAY: 86_400, WEEK: 604_800 }

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000))
/** Structured-field integers: finite, non-negative, whole. */
const int = (n: number) => String(Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0)

/** `Retry-After` in whole seconds, rounded up, at least 1 (RFC 9110 §10.2.3). */
export function retryAfterSeconds(retryAfterMs: number): string {
  if (!Number.isFinite(retryAfterMs)) return '86400'
  return String(Math.max(1, seconds(retryAfterMs)))
}

/** The two fields for `request`'s limits as `result` left them at `now` (epoch ms). */
export function rateLimitFields(
  request: ConsumeRequest,
  result: ConsumeResult,
  now: number
): { policy: string; state: string } | undefined {
  const policy: string[] = []
  const state: string[] = []
  const throttle = request.throttle
  if (throttle !== undefined) {
    const { burstLimit, rateLimit } = throttle
    // The window is the time an empty bucket takes to refill; a bucket that never refills has
    // none (w is optional).
    const w = rateLimit > 0 ? `;w=${int(Math.max(1, Math.ceil(burstLimit / rateLimit)))}` : ''
    policy.push(`"burst";q=${int(burstLimit)}${w}`)
    const missing = burstLimit - result.remaining
    const t =
      missing <= 0 ? ';t=0' : rateLimit > 0 ? `;t=${int(Math.ceil(missing / rateLimit))}` : ''
    state.push(`"burst";r=${int(result.remaining)}${t}`)
  }
  const quota = request.quota
  if (quota !== undefined) {
    const w = PERIOD_SECONDS[quota.period]
    policy.push(`"quota";q=${int(quota.limit)}${w === undefined ? '' : `;w=${int(w)}`}`)
    const r = result.quotaRemaining ?? quota.limit
    const t =
      result.quotaResetAt === undefined ? '' : `;t=${int(seconds(result.quotaResetAt - now))}`
    state.push(`"quota";r=${int(r)}${t}`)
  }
  if (policy.length === 0) return undefined
  return { policy: policy.join(', '), state: state.join(', ') }
}

/** Puts the fields on every response of the request (success and errors alike). */
export function setRateLimitHeaders(
  headers: Headers,
  request: ConsumeRequest,
  result: ConsumeResult,
  now: number
): void {
  const fields = rateLimitFields(request, result, now)
  if (fields === undefined) return
  headers.set('RateLimit-Policy', fields.policy)
  headers.set('RateLimit', fields.state)
}
