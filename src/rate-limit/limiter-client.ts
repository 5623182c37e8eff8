/**
 * How the data plane reaches a RateLimiter object: one object per (usage plan, key) or per
 * stage/route bucket (DESIGN §2), one RPC per request at most, never retried.
 */
import type { RateLimiter } from '../durable-objects/rate-limiter'
import type { ConsumeRequest, ConsumeResult } from './types'

/** The binding this module needs. */
export interface LimiterEnv {
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>
}

/** Object name of a (usage plan, API key) pair. */
export function planKeyObjectName(planId: string, keyId: string): string {
  return `plan:${planId}:key:${keyId}`
}

/** Object name of a stage/route default-throttling bucket (route key as configured). */
export function routeObjectName(apiId: string, stage: string, routeKey: string): string {
  return `route:${apiId}:${stage}:${routeKey}`
}

/** The stub of the object named `name`. */
export function limiterStub(env: LimiterEnv, name: string): DurableObjectStub<RateLimiter> {
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name))
}

/**
 * One `consume` call, never retried: a retried consume whose first attempt did land would debit
 * twice, and an object answering `.overloaded` must not get more load (Cloudflare: "do not retry
 * overloaded errors"). Errors propagate; the caller applies its fail-closed/fail-open policy.
 */
export async function consumeOnce(
  env: LimiterEnv,
  name: string,
  request: ConsumeRequest
): Promise<ConsumeResult> {
  return limiterStub(env, name).consume(request)
}

/** Whether an error from a Durable Object call says the object is overloaded. */
export function isOverloaded(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'overloaded' in error
    ? error.overloaded === true
    : false
}
