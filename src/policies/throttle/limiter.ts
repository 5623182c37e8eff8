/**
 * The throttle step's view of the RateLimiter objects: one consume, or a lease and its release.
 * The default talks to the real objects through rate-limit/limiter-client.ts; tests pass their
 * own (e.g. one that throws) in the policy's build input to show the failure policy.
 */
import type { LeaseGrant } from '../../rate-limit/lease'
import { consumeOnce, limiterStub, type LimiterEnv } from '../../rate-limit/limiter-client'
import type { ConsumeRequest, ConsumeResult } from '../../rate-limit/types'

/** One round trip each, never retried (a retried debit could count twice). */
export interface Limiter {
  consume(env: LimiterEnv, name: string, request: ConsumeRequest): Promise<ConsumeResult>
  lease(env: LimiterEnv, name: string, request: ConsumeRequest, want: number): Promise<LeaseGrant>
  release(env: LimiterEnv, name: string, leaseId: string, unused: number): Promise<void>
}

/** The real objects. */
export const DEFAULT_LIMITER: Limiter = {
  consume: consumeOnce,
  lease: (env, name, request, want) => limiterStub(env, name).lease({ ...request, want }),
  release: async (env, name, leaseId, unused) => {
    await limiterStub(env, name).release(unused, leaseId)
  },
}
