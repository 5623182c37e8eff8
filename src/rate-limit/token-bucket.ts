/**
 * AWS token bucket, pure (clock injected). AWS: "API Gateway throttles requests using the token
 * bucket algorithm, where a token counts for a request": the bucket holds at most `burstLimit`
 * tokens and is refilled at `rateLimit` tokens per second (fractional rates allowed). A new bucket
 * starts full.
 */
import type { ThrottleSettings } from './types'

/** Persisted bucket: tokens left (fractional while refilling) as of `updatedAt` (epoch ms). */
export interface BucketState {
  tokens: number
  updatedAt: number
}

/** What one `take` decided. `state` is the bucket to keep whether or not the take was allowed. */
export interface TakeResult {
  state: BucketState
  allowed: boolean
  /** Whole tokens left after this take (for `RateLimit` headers). */
  remaining: number
  /** 0 when allowed; otherwise ms until `cost` tokens will be there. */
  retryAfterMs: number
}

/**
 * Cap on `retryAfterMs` when no refill can ever satisfy the take (`rateLimit` 0, or a cost above
 * the bucket size): a day, long enough to mean "do not retry soon", short enough for a header.
 */
export const MAX_RETRY_AFTER_MS = 86_400_000

/** Tolerance for float error of fractional refill (a bucket at 0.9999999999 holds 1 token). */
const EPSILON = 1e-9

/** A full bucket as of `now` (AWS: clients may burst up to `burstLimit` at once). */
export function fullBucket(settings: ThrottleSettings, now: number): BucketState {
  return { tokens: Math.max(0, settings.burstLimit), updatedAt: now }
}

/**
 * The bucket refilled up to `now`. A clock that goes backwards mints nothing: elapsed time is
 * measured from the latest instant seen, which is kept, so the time is not counted twice either.
 * A lowered `burstLimit` caps what is already in the bucket.
 */
export function refill(state: BucketState, settings: ThrottleSettings, now: number): BucketState {
  const burst = Math.max(0, settings.burstLimit)
  const rate = Math.max(0, settings.rateLimit)
  const elapsedMs = now > state.updatedAt ? now - state.updatedAt : 0
  const tokens = Math.min(burst, state.tokens + (elapsedMs * rate) / 1000)
  return { tokens, updatedAt: Math.max(state.updatedAt, now) }
}

/** Ms until the bucket holds `cost` tokens, given it holds `tokens` now. */
export function msUntil(tokens: number, settings: ThrottleSettings, cost: number): number {
  const missing = cost - tokens
  if (missing <= EPSILON) return 0
  const rate = Math.max(0, settings.rateLimit)
  if (rate === 0 || cost > settings.burstLimit) return MAX_RETRY_AFTER_MS
  return Math.min(MAX_RETRY_AFTER_MS, Math.ceil((missing * 1000) / rate))
}

/**
 * Takes `cost` tokens if the bucket (refilled to `now`) holds them; otherwise takes nothing and
 * says when it will. Either way the refilled state is returned to be kept.
 */
export function take(
  state: BucketState,
  settings: ThrottleSettings,
  now: number,
  cost = 1
): TakeResult {
  const current = refill(state, settings, now)
  if (current.tokens + EPSILON >= cost) {
    const tokens = Math.max(0, current.tokens - cost)
    return {
      state: { tokens, updatedAt: current.updatedAt },
      allowed: true,
      remaining: wholeTokens(tokens),
      retryAfterMs: 0,
    }
  }
  return {
    state: current,
    allowed: false,
    remaining: wholeTokens(current.tokens),
    retryAfterMs: msUntil(current.tokens, settings, cost),
  }
}

/** Takes up to `want` whole tokens (lease mode): as many as the bucket holds, maybe 0. */
export function takeUpTo(
  state: BucketState,
  settings: ThrottleSettings,
  now: number,
  want: number
): { state: BucketState; taken: number } {
  const current = refill(state, settings, now)
  const taken = Math.max(0, Math.min(Math.floor(want), wholeTokens(current.tokens)))
  return {
    state: { tokens: Math.max(0, current.tokens - taken), updatedAt: current.updatedAt },
    taken,
  }
}

/** Gives back `count` unused tokens, never past the bucket size. */
export function giveBack(
  state: BucketState,
  settings: ThrottleSettings,
  count: number
): BucketState {
  const tokens = Math.min(Math.max(0, settings.burstLimit), state.tokens + Math.max(0, count))
  return { tokens, updatedAt: state.updatedAt }
}

/** Whole tokens in the bucket, float error forgiven. */
export function wholeTokens(tokens: number): number {
  return Math.max(0, Math.floor(tokens + EPSILON))
}
