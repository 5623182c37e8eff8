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

/**
 * Name of the plan-wide bucket (`ConsumeRequest.bucket` absent or empty). Named buckets are AWS
 * per-method overrides `'/path/METHOD'`, which always start with `/`, so they never collide.
 */
export const DEFAULT_BUCKET = ''
/**
 * Named buckets one object keeps besides the default. AWS allows per-method throttling only for
 * the plan's methods, so a real plan stays far below; the cap bounds the persisted state against
 * a caller inventing names. A name past the cap (or longer than `MAX_BUCKET_NAME_LENGTH`) is
 * served by the default bucket: never unlimited, never an error.
 */
export const MAX_BUCKETS = 64
/** Longest bucket name kept as its own bucket (bounds the state, like `MAX_BUCKETS`). */
export const MAX_BUCKET_NAME_LENGTH = 1_024

/** A lease and the bucket it debited (absent: the default), so a return refills that bucket. */
export interface BucketLease extends Lease {
  bucket?: string
}

/** Everything one object persists. */
export interface LimiterState {
  /** Token buckets by name: `DEFAULT_BUCKET` and per-method overrides. The quota is shared. */
  buckets: Record<string, BucketState>
  quota?: QuotaCounter
  usage: UsageTally[]
  leases: BucketLease[]
}

/** What older objects persisted: a single bucket, before per-method buckets existed. */
export interface StoredState extends Partial<LimiterState> {
  bucket?: BucketState
}

/** A state and whether it must be persisted (false: only derived values changed). */
export interface Step<T> {
  state: LimiterState
  result: T
  changed: boolean
}

export const EMPTY_STATE: LimiterState = { buckets: {}, usage: [], leases: [] }

/**
 * The state as persisted by any version of the object. A legacy single `bucket` becomes the
 * default bucket, so an object written before per-method buckets keeps its tokens (no refill to
 * full on upgrade); it is written in the new shape at its next change.
 */
export function loadState(stored: StoredState | undefined): LimiterState {
  if (stored === undefined) return EMPTY_STATE
  const { bucket: legacy, buckets: current, quota, usage, leases } = stored
  const buckets: Record<string, BucketState> = { ...current }
  if (legacy !== undefined && !Object.hasOwn(buckets, DEFAULT_BUCKET)) {
    buckets[DEFAULT_BUCKET] = legacy
  }
  return {
    buckets,
    ...(quota === undefined ? {} : { quota }),
    usage: usage ?? [],
    leases: leases ?? [],
  }
}

/**
 * The bucket `requested` is served by: its own when it exists or there is room for it, otherwise
 * the default one (past `MAX_BUCKETS`, an over-long name, or not a string over RPC).
 */
export function bucketName(state: LimiterState, requested: unknown): string {
  if (typeof requested !== 'string' || requested === DEFAULT_BUCKET) return DEFAULT_BUCKET
  if (requested.length > MAX_BUCKET_NAME_LENGTH) return DEFAULT_BUCKET
  if (Object.hasOwn(state.buckets, requested)) return requested
  const named = Object.keys(state.buckets).filter((name) => name !== DEFAULT_BUCKET).length
  return named < MAX_BUCKETS ? requested : DEFAULT_BUCKET
}

/**
 * The stored bucket `name`, if any. `Object.hasOwn`: a name such as `constructor` must not read
 * the object's prototype.
 */
export function storedBucket(state: LimiterState, name: string): BucketState | undefined {
  return Object.hasOwn(state.buckets, name) ? state.buckets[name] : undefined
}

/** The state with bucket `name` replaced (a fresh record; the step functions stay pure). */
export function withBucket(state: LimiterState, name: string, bucket: BucketState): LimiterState {
  return { ...state, buckets: { ...state.buckets, [name]: bucket } }
}

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

/** What every request step starts from: expired leases settled, the quota period, the bucket. */
export function beginStep(before: LimiterState, request: ConsumeRequest, now: number) {
  const settled = settleExpired(before, now)
  const state = settled.state
  const quota = request.quota ? currentQuota(state.quota, request.quota, now) : undefined
  const quotaInfo = quota ? { quotaRemaining: quota.remaining, quotaResetAt: quota.resetAt } : {}
  const throttle = request.throttle
  const name = bucketName(state, request.bucket)
  const bucket = throttle ? (storedBucket(state, name) ?? fullBucket(throttle, now)) : undefined
  return { state, changed: settled.changed, quota, quotaInfo, throttle, name, bucket }
}

/**
 * One request: quota checked first, then the request's bucket; both debited only when both allow.
 * Only the named bucket is touched: a per-method override never drains the plan-wide bucket.
 */
export function consumeStep(
  before: LimiterState,
  request: ConsumeRequest,
  now: number
): Step<ConsumeResult> {
  const { state, changed, quota, quotaInfo, name, bucket } = beginStep(before, request, now)

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
      state: withBucket(state, name, taken.state),
      result: { ...result, ...retry, ...quotaInfo },
      changed,
    }
  }

  const next: LimiterState = taken ? withBucket(state, name, taken.state) : { ...state }
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
