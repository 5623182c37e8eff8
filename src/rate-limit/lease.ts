/**
 * Lease mode, pure: an isolate takes a small batch of tokens at once and spends them locally, so
 * most requests of a high-rate plan need no round trip to the object. Tokens and quota are debited
 * when granted, so quota is never exceeded; the throttle can run ahead of the strict bucket by at
 * most `rateLimit × LEASE_TTL_MS` (docs/rate-limits.md, "Lease mode").
 */
import type { ThrottleSettings } from './types'

/** Plans with a smaller bucket stay strict: a lease then holds at most one token. */
export const LEASE_MIN_BURST = 100
/** One lease holds at most `burstLimit / LEASE_BURST_DIVISOR` tokens (10 % of the bucket). */
export const LEASE_BURST_DIVISOR = 10
/** How long a holder may spend a lease; unreturned tokens count as used afterwards. */
export const LEASE_TTL_MS = 1_000
/** Live leases one object tracks; more wait until one is returned or expires. */
export const MAX_OUTSTANDING_LEASES = 64

/** A lease the object tracks until it is returned or expires. */
export interface Lease {
  id: string
  count: number
  /** Epoch ms (object clock) after which the holder must not spend the tokens. */
  expiresAt: number
  /** Bucket size at grant time, so a returned token never overfills the bucket. */
  burstLimit?: number
  /** Start of the quota period that was debited: a return only credits that period. */
  quotaPeriodStart?: number
  /** UTC day of the grant and the usage row it counts for. */
  day: string
  usage?: { planId: string; keyId: string }
}

/** What `lease` answers. */
export interface LeaseGrant {
  /** Tokens granted, 0..want (0: none available, see `reason` and `retryAfterMs`). */
  granted: number
  /** Pass to `release`; empty when nothing was granted. */
  leaseId: string
  /** Epoch ms (object clock) until which the tokens may be spent. */
  expiresAt: number
  /** Spend the tokens for at most this long after receiving the grant (clock-skew free). */
  ttlMs: number
  remaining: number
  retryAfterMs: number
  reason?: 'THROTTLED' | 'QUOTA_EXCEEDED'
  quotaRemaining?: number
  quotaResetAt?: number
}

/** Whether a throttle is large enough for multi-token leases. */
export function leaseEligible(throttle: ThrottleSettings | undefined): boolean {
  return throttle !== undefined && throttle.burstLimit >= LEASE_MIN_BURST
}

/** The most tokens one lease may hold for `want`. */
export function leaseCap(throttle: ThrottleSettings | undefined, want: number): number {
  const asked = Number.isFinite(want) ? Math.max(0, Math.floor(want)) : 0
  if (throttle === undefined || !leaseEligible(throttle)) return Math.min(asked, 1)
  return Math.min(asked, Math.floor(throttle.burstLimit / LEASE_BURST_DIVISOR))
}

/** Splits leases into live ones and ones whose TTL has passed. */
export function partitionExpired(
  leases: readonly Lease[],
  now: number
): { live: Lease[]; expired: Lease[] } {
  const live: Lease[] = []
  const expired: Lease[] = []
  for (const lease of leases) (now >= lease.expiresAt ? expired : live).push(lease)
  return { live, expired }
}
