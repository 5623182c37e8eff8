/**
 * Lease and release transitions of the RateLimiter state, pure (clock and lease id injected).
 * A grant debits bucket and quota at once; usage is counted when the lease settles (returned or
 * expired), for the day it was granted, so a D1 total never has to go down.
 */
import { LEASE_TTL_MS, type LeaseGrant, MAX_OUTSTANDING_LEASES, leaseCap } from './lease'
import {
  beginStep,
  type BucketLease,
  DEFAULT_BUCKET,
  type LimiterState,
  settleExpired,
  type Step,
  storedBucket,
  withBucket,
} from './limiter-state'
import { utcDay } from './quota-period'
import { giveBack, msUntil, takeUpTo } from './token-bucket'
import type { ConsumeRequest } from './types'
import { addUsage } from './usage-tally'

/** Grants up to `want` tokens (capped by lease policy, bucket and quota), maybe 0. */
export function leaseStep(
  before: LimiterState,
  request: ConsumeRequest,
  want: number,
  now: number,
  leaseId: string
): Step<LeaseGrant> {
  const begun = beginStep(before, request, now)
  const { state, quota, quotaInfo, throttle, name, bucket } = begun
  const none = { granted: 0, leaseId: '', expiresAt: now, ttlMs: 0, ...quotaInfo }

  if (quota && quota.remaining < 1) {
    const retryAfterMs = Math.max(1, quota.resetAt - now)
    const result: LeaseGrant = { ...none, remaining: 0, retryAfterMs, reason: 'QUOTA_EXCEEDED' }
    return { state, result, changed: begun.changed }
  }
  if (state.leases.length >= MAX_OUTSTANDING_LEASES) {
    const first = Math.min(...state.leases.map((lease) => lease.expiresAt))
    const result: LeaseGrant = {
      ...none,
      remaining: 0,
      retryAfterMs: Math.max(1, first - now),
      reason: 'THROTTLED',
    }
    return { state, result, changed: begun.changed }
  }
  const cap = Math.min(leaseCap(throttle, want), quota ? quota.remaining : Number.MAX_SAFE_INTEGER)
  const taken = bucket && throttle ? takeUpTo(bucket, throttle, now, cap) : undefined
  const granted = taken ? taken.taken : cap
  if (granted < 1) {
    const tokens = taken ? taken.state.tokens : 0
    const retryAfterMs = throttle ? Math.max(1, msUntil(tokens, throttle, 1)) : 0
    const result: LeaseGrant = { ...none, remaining: 0, retryAfterMs, reason: 'THROTTLED' }
    const next = taken ? withBucket(state, name, taken.state) : state
    return { state: next, result, changed: begun.changed }
  }

  const lease: BucketLease = {
    id: leaseId,
    count: granted,
    expiresAt: now + LEASE_TTL_MS,
    day: utcDay(now),
  }
  if (throttle) lease.burstLimit = throttle.burstLimit
  // Recorded so a return refills the bucket the grant came from (absent: the default bucket).
  if (taken && name !== DEFAULT_BUCKET) lease.bucket = name
  if (quota) lease.quotaPeriodStart = quota.counter.periodStart
  if (request.usage) lease.usage = request.usage
  const debited = taken ? withBucket(state, name, taken.state) : state
  const next: LimiterState = { ...debited, leases: [...state.leases, lease] }
  if (quota)
    next.quota = { periodStart: quota.counter.periodStart, used: quota.counter.used + granted }
  const result: LeaseGrant = {
    granted,
    leaseId,
    expiresAt: lease.expiresAt,
    ttlMs: LEASE_TTL_MS,
    remaining: taken ? Math.floor(taken.state.tokens) : 0,
    retryAfterMs: 0,
    ...(quota ? { quotaRemaining: quota.remaining - granted, quotaResetAt: quota.resetAt } : {}),
  }
  return { state: next, result, changed: true }
}

/**
 * Returns up to `count` unused tokens of a live lease to its bucket and to the quota period it was
 * debited from (not a later one). Settles the lease: the rest count as used. An unknown or expired
 * lease returns nothing, so a release can never mint tokens.
 */
export function releaseStep(
  before: LimiterState,
  leaseId: string,
  count: number,
  now: number
): Step<{ returned: number }> {
  const settled = settleExpired(before, now)
  const state = settled.state
  const lease = state.leases.find((l) => l.id === leaseId)
  if (!lease) return { state, result: { returned: 0 }, changed: settled.changed }
  const asked = Number.isFinite(count) ? Math.max(0, Math.floor(count)) : 0
  const returned = Math.min(asked, lease.count)
  const next: LimiterState = { ...state, leases: state.leases.filter((l) => l.id !== leaseId) }
  const name = lease.bucket ?? DEFAULT_BUCKET
  const bucket = storedBucket(state, name)
  if (bucket && lease.burstLimit !== undefined) {
    const settings = { burstLimit: lease.burstLimit, rateLimit: 0 }
    next.buckets = { ...state.buckets, [name]: giveBack(bucket, settings, returned) }
  }
  if (state.quota && state.quota.periodStart === lease.quotaPeriodStart) {
    next.quota = { ...state.quota, used: Math.max(0, state.quota.used - returned) }
  }
  if (lease.usage)
    next.usage = addUsage(state.usage, lease.usage, lease.day, lease.count - returned)
  return { state: next, result: { returned }, changed: true }
}
