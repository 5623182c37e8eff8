/**
 * Admits a request of a high-rate bucket from the isolate's lease (lease-pool.ts): most requests
 * spend a local token, one in `burstLimit / LEASE_BURST_DIVISOR` asks the object for a batch.
 * Small buckets stay strict — a lease there would hold a large share of the burst.
 */
import type { RequestContext } from '../../pipeline/types'
import { LEASE_BURST_DIVISOR, type LeaseGrant, leaseEligible } from '../../rate-limit/lease'
import type { ConsumeRequest, ConsumeResult } from '../../rate-limit/types'
import { type HeldLease, LeasePool } from './lease-pool'
import type { Limiter } from './limiter'

/** Lease mode needs a refill of at least this many tokens per second, too. */
export const LEASE_MIN_RATE = 100
/** Lease attempts before falling back to one strict consume (contention on an empty pool). */
const ATTEMPTS = 3

const POOL = new LeasePool()

/** Whether `request`'s bucket is large and fast enough for lease mode. */
export function leaseApplies(request: ConsumeRequest): boolean {
  const throttle = request.throttle
  return throttle !== undefined && throttle.rateLimit >= LEASE_MIN_RATE && leaseEligible(throttle)
}

function deniedBy(grant: LeaseGrant): ConsumeResult {
  return {
    allowed: false,
    reason: grant.reason ?? 'THROTTLED',
    retryAfterMs: grant.retryAfterMs,
    remaining: grant.remaining,
    ...(grant.quotaRemaining === undefined ? {} : { quotaRemaining: grant.quotaRemaining }),
    ...(grant.quotaResetAt === undefined ? {} : { quotaResetAt: grant.quotaResetAt }),
  }
}

/** The caller's view: tokens the isolate still holds are still the caller's to spend. */
function allowedBy(lease: HeldLease): ConsumeResult {
  const { grant, tokens } = lease
  return {
    allowed: true,
    remaining: grant.remaining + tokens,
    ...(grant.quotaRemaining === undefined
      ? {}
      : { quotaRemaining: grant.quotaRemaining + tokens }),
    ...(grant.quotaResetAt === undefined ? {} : { quotaResetAt: grant.quotaResetAt }),
  }
}

/**
 * The pool's key for a bucket: the object name plus the bucket inside it, so a per-method
 * override's tokens are never spent by the plan-wide bucket's requests (or the reverse).
 */
function poolKey(name: string, request: ConsumeRequest): string {
  // A newline cannot occur in an object name built by limiter-client.ts from ids and route keys.
  return request.bucket === undefined || request.bucket === '' ? name : `${name}\n${request.bucket}`
}

/** Gives the unspent tokens back just before the object would expire the lease. */
function scheduleClose(
  ctx: RequestContext,
  limiter: Limiter,
  name: string,
  key: string,
  lease: HeldLease
) {
  const wait = Math.max(0, lease.spendUntil - Date.now())
  const close = new Promise((resolve) => setTimeout(resolve, wait)).then(async () => {
    const left = POOL.close(key, lease)
    if (left > 0) await limiter.release(ctx.env, name, lease.leaseId, left)
  })
  ctx.executionCtx.waitUntil(
    close.catch((e: unknown) => {
      // Unreturned tokens count as used: an under-grant, never an over-grant. Logged, not fatal.
      const cause = e instanceof Error ? e.message : String(e)
      console.log(JSON.stringify({ level: 'warn', event: 'lease_release_failed', cause }))
    })
  )
}

/** One admission decision in lease mode (errors propagate to the failure policy). */
export async function admitFromLease(
  ctx: RequestContext,
  limiter: Limiter,
  name: string,
  request: ConsumeRequest
): Promise<ConsumeResult> {
  const burst = request.throttle?.burstLimit ?? 0
  const want = Math.max(1, Math.floor(burst / LEASE_BURST_DIVISOR))
  const key = poolKey(name, request)
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const take = await POOL.take(
      key,
      () => limiter.lease(ctx.env, name, request, want),
      () => Date.now()
    )
    if (take.kind === 'denied') return deniedBy(take.grant)
    if (take.kind === 'token') {
      if (take.fresh && take.lease.tokens > 0) scheduleClose(ctx, limiter, name, key, take.lease)
      return allowedBy(take.lease)
    }
  }
  return limiter.consume(ctx.env, name, request)
}
