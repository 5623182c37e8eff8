/**
 * Contracts between the throttle policy, the RateLimiter Durable Object and the usage store.
 * One object per (usage plan, API key) — named `plan:{planId}:key:{keyId}` — or per stage/route
 * bucket for default throttling — named `route:{apiId}:{stage}:{routeKey}`.
 */

/** AWS token bucket: size `burstLimit`, refilled at `rateLimit` tokens per second. */
export interface ThrottleSettings {
  rateLimit: number
  burstLimit: number
}

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH'

/** AWS usage plan quota: `limit` requests per UTC calendar `period`, shifted by `offset`. */
export interface QuotaSettings {
  limit: number
  period: QuotaPeriod
  /** AWS: the day a period starts — WEEK: 0 = Sunday … 6 = Saturday; MONTH: day 0–27; DAY: 0. */
  offset: number
}

/** What one request asks of its bucket: throttle and/or quota, consulted in one call. */
export interface ConsumeRequest {
  throttle?: ThrottleSettings
  quota?: QuotaSettings
  /**
   * The token bucket inside the object: an AWS per-method override `'/path/METHOD'` has its own
   * bucket per key; absent (or empty) is the plan-wide default bucket. The quota is shared by all
   * buckets (AWS: per key per plan). Past `MAX_BUCKETS` names the default bucket serves.
   */
  bucket?: string
  /** For usage rows (D1): the plan and key this object counts for. */
  usage?: { planId: string; keyId: string }
}

export type ConsumeResult =
  | {
      allowed: true
      /** Tokens left in the bucket after this request (for `RateLimit` headers). */
      remaining: number
      /** Quota left in the current period, when a quota applies. */
      quotaRemaining?: number
      /** Epoch ms when the current quota period ends, when a quota applies. */
      quotaResetAt?: number
    }
  | {
      allowed: false
      reason: 'THROTTLED' | 'QUOTA_EXCEEDED'
      /** Milliseconds until a retry can succeed (→ `Retry-After`, rounded up to seconds). */
      retryAfterMs: number
      remaining: number
      quotaRemaining?: number
      quotaResetAt?: number
    }
