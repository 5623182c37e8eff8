/**
 * API keys on `apiKeyRequired` routes (DESIGN §4 step 5). The key comes from `x-api-key` (AWS key
 * source `HEADER`) or from the authorizer (`AUTHORIZER`: `ctx.identity.apiKey`, its
 * `usageIdentifierKey`). It is hashed (SHA-256) and looked up in D1 through an in-isolate cache;
 * a missing, unknown or disabled key, or one without a usage plan covering this (API, stage), is
 * 403 `{"message":"Forbidden"}` with no upstream call (AWS wire contract). D1 failing is 503
 * (fail closed). The key value is never logged or stored; logs carry the key id.
 */
import { hashApiKey } from '../../api-keys/hash'
import { GatewayError } from '../../errors/gateway-error'
import type { Policy, PolicyHandler, RequestContext } from '../../pipeline/types'
import { findKeyByHash } from '../../storage/api-keys'
import type { UsagePlanRecord } from '../../storage/usage-plan-types'
import { claimAuthorizationType } from '../authorization/unsupported-auth'
import { KeyCache, type Lookup } from './key-cache'
import { MissLimiter } from './miss-limiter'

// This policy checks API keys: the fail-closed guard stops answering for `apiKeyRequired`.
claimAuthorizationType('API_KEY')

/** Longer values are never valid keys (AWS: 20–128 characters); not worth hashing. */
const MAX_KEY_LENGTH = 256

/** Where lookups and misses are kept; one per isolate, replaceable in tests. */
export interface ApiKeyState {
  readonly cache: KeyCache
  readonly misses: MissLimiter
  readonly now: () => number
  /** The D1 lookup (by default `findKeyByHash` on `ctx.env.DB`). */
  readonly find: (ctx: RequestContext, hash: string) => Promise<Lookup>
}

const ISOLATE_STATE: ApiKeyState = {
  cache: new KeyCache(),
  misses: new MissLimiter(),
  now: () => Date.now(),
  find: (ctx, hash) => findKeyByHash(ctx.env.DB, hash),
}

function forbidden(reason: string): GatewayError {
  return new GatewayError('INVALID_API_KEY', { reason })
}

function retryAfter(ms: number): Record<string, string> {
  return { 'Retry-After': String(Math.max(1, Math.ceil(ms / 1000))) }
}

/** The plan that covers (apiId, stage), first in the key's plan order (AWS allows only one). */
export function planFor(
  plans: readonly UsagePlanRecord[],
  apiId: string,
  stage: string
): UsagePlanRecord | undefined {
  return plans.find((plan) => plan.apiStages.some((s) => s.apiId === apiId && s.stage === stage))
}

async function lookup(ctx: RequestContext, state: ApiKeyState, hash: string): Promise<Lookup> {
  const cached = state.cache.peek(hash, state.now())
  if (cached !== undefined) return cached
  // Only keys the isolate does not know cost a D1 query: that is what a guessing client is
  // refused, while cached valid keys keep working from the same IP (NAT, shared egress).
  const blockedMs = state.misses.blockedFor(ctx.clientIp, state.now())
  if (blockedMs > 0) {
    throw new GatewayError('THROTTLED', {
      reason: 'too many unknown API keys from this client',
      headers: retryAfter(blockedMs),
    })
  }
  try {
    return await state.cache.load(hash, () => state.find(ctx, hash), state.now)
  } catch (cause) {
    throw new GatewayError('SERVICE_UNAVAILABLE', {
      reason: 'API key lookup failed (D1); failing closed',
      headers: retryAfter(1000),
      cause,
    })
  }
}

/** Builds the API-key step; `state` is the isolate's unless a test passes its own. */
export function createApiKeyPolicy(state: ApiKeyState = ISOLATE_STATE): Policy {
  return {
    name: 'authorization',
    build({ api, route }): PolicyHandler | undefined {
      if (route.apiKeyRequired !== true) return undefined
      const fromAuthorizer = api.apiKeySource === 'AUTHORIZER'
      return async (ctx, next) => {
        const value = fromAuthorizer ? ctx.identity.apiKey : ctx.request.headers.get('x-api-key')
        if (value === undefined || value === null || value === '') {
          throw forbidden('no API key')
        }
        if (value.length > MAX_KEY_LENGTH) {
          state.misses.recordMiss(ctx.clientIp, state.now())
          throw forbidden('API key too long')
        }
        const found = await lookup(ctx, state, await hashApiKey(value))
        if (found === null) {
          state.misses.recordMiss(ctx.clientIp, state.now())
          throw forbidden('unknown API key')
        }
        const { key, plans } = found
        if (!key.enabled) throw forbidden(`API key ${key.id} is disabled`)
        const plan = planFor(plans, ctx.api.id, ctx.stage.name)
        if (plan === undefined) {
          throw forbidden(`API key ${key.id} has no usage plan for stage ${ctx.stage.name}`)
        }
        ctx.identity.apiKeyId = key.id
        ctx.identity.usagePlan = plan
        return next()
      }
    },
  }
}

/** The registered API-key policy (isolate-wide cache and brute-force brake). */
export const apiKeyPolicy: Policy = createApiKeyPolicy()
