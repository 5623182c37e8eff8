/**
 * The RateLimiter object's state and its transitions, pure (clock injected): the object loads the
 * state, applies one step, persists the result. A step either admits (debits bucket, quota and
 * usage together) or rejects and debits nothing (DESIGN §5 "Exact usage").
 */
import { type Lease, partitionExpired } from './lease'
import { periodEnd, periodStart, utcDay } from './quota-period'
import { type BucketState, fullBucket, refill, take, wholeTokens } from './token-bucket'
import type { ConsumeRequest, ConsumeResult, QuotaSettings } from './types'
import { addUsage, type UsageTally } from './usage-tally'

/** Quota used in the period starting at `periodStart`. */
export interface QuotaCounter {
  periodStart: number
  used: number
}

/** Everything one object persists. */
export interface LimiterState {
  bucket?: BucketState
  quota?: QuotaCounter
  usage: UsageTally[]
  leases: Lease[]
}

/** A state and whether it must be persisted (false: only derived values changed). */
export interface Step<T> {
  state: LimiterState
  result: T
  changed: boolean
}

export const EMPTY_STATE: LimiterState = { usage: [], leases: [] }

/**
 * The counter for the period containing `now`. A later period starts from 0 exactly at its
 * boundary; a clock that jumps back into an earlier period keeps counting into the later one, so
 * a backward jump never hands out a fresh quota.
 */
export function currentQuota(counter: QuotaCounter | undefined, quota: QuotaSettings, now: number) {
  const start = periodStart(now, quota)
  const current =
    counter && counter.periodStart >= start ? counter : { periodStart: start, used: 0 }
  const limit = Math.max(0, Math.floor(quota.limit))
  return {
    counter: current,
    remaining: Math.max(0, limit - current.used),
    resetAt: periodEnd(current.periodStart, quota),
  }
}

/** Leases past their TTL are settled: their tokens count as used (usage rows). */
export function settleExpired(state: LimiterState, now: number): Step<number> {
  const { live, expired } = partitionExpired(state.leases, now)
  if (expired.length === 0) return { state, result: 0, changed: false }
  let usage = state.usage
  for (const lease of expired) {
    if (lease.usage) usage = addUsage(usage, lease.usage, lease.day, lease.count)
  }
  return { state: { ...state, usage, leases: live }, result: expired.length, changed: true }
}

/** One request: quota checked first, then the bucket; both debited only when both allow. */
export function consumeStep(
  before: LimiterState,
  request: ConsumeRequest,
  now: number
): Step<ConsumeResult> {
  const settled = settleExpired(before, now)
  const state = settled.state
  const quota = request.quota ? currentQuota(state.quota, request.quota, now) : undefined
  const quotaInfo = quota ? { quotaRemaining: quota.remaining, quotaResetAt: quota.resetAt } : {}
  const bucket = request.throttle ? (state.bucket ?? fullBucket(request.throttle, now)) : undefined
  const changed = settled.changed

  if (quota && quota.remaining < 1) {
    const remaining =
      bucket && request.throttle ? wholeTokens(refill(bucket, request.throttle, now).tokens) : 0
    const retryAfterMs = Math.max(1, quota.resetAt - now)
    const result = { allowed: false as const, reason: 'QUOTA_EXCEEDED' as const, retryAfterMs }
    return { state, result: { ...result, remaining, ...quotaInfo }, changed }
  }
  const taken = bucket && request.throttle ? take(bucket, request.throttle, now) : undefined
  if (taken && !taken.allowed) {
    const result = { allowed: false as const, reason: 'THROTTLED' as const }
    const retry = { retryAfterMs: taken.retryAfterMs, remaining: taken.remaining }
    return {
      state: { ...state, bucket: taken.state },
      result: { ...result, ...retry, ...quotaInfo },
      changed,
    }
  }

  const next: LimiterState = { ...state }
  if (taken) next.bucket = taken.state
  if (quota) {
    next.quota = { periodStart: quota.counter.periodStart, used: quota.counter.used + 1 }
  }
  if (request.usage) next.usage = addUsage(state.usage, request.usage, utcDay(now), 1)
  const remaining = taken ? taken.remaining : quota ? quota.remaining - 1 : 0
  const admitted: ConsumeResult = quota
    ? { allowed: true, remaining, quotaRemaining: quota.remaining - 1, quotaResetAt: quota.resetAt }
    : { allowed: true, remaining }
  return { state: next, result: admitted, changed: true }
}
