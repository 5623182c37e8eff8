/**
 * Throttle + quota (DESIGN §4 step 6): at most one Durable Object call per request. A request
 * whose key has a usage plan counts against its (plan, key) object (plan throttle, or a per-method
 * override in its own bucket; quota; usage); any other request against the stage/route default
 * bucket, if one is set. Denied → 429 THROTTLED / QUOTA_EXCEEDED with `Retry-After`;
 * `RateLimit-Policy` and `RateLimit` go on every response of a limited route. A failing store
 * fails closed (503) unless the plan opted in to fail-open (tag `portico:failOpen=true`), which is
 * logged. High-rate buckets use lease mode (lease-pool.ts).
 */
import { GatewayError } from '../../errors/gateway-error'
import type { Policy, PolicyHandler, RequestContext, RouteBuildInput } from '../../pipeline/types'
import type { ConsumeRequest, ConsumeResult } from '../../rate-limit/types'
import { planKeyObjectName, routeObjectName } from '../../rate-limit/limiter-client'
import { methodKeys, planFailsOpen, planRequest, planThrottle, routeThrottle } from './limits'
import { routeMethodOf } from '../route-settings'
import { DEFAULT_LIMITER, type Limiter } from './limiter'
import { admitFromLease, leaseApplies } from './lease-admit'
import { retryAfterSeconds, setRateLimitHeaders } from './rate-limit-headers'

/** What `build` takes: the route, and (tests only) the limiter to talk to. */
export interface ThrottleBuildInput extends RouteBuildInput {
  readonly limiter?: Limiter
}

interface Bucket {
  readonly objectName: string
  readonly request: ConsumeRequest
  readonly failOpen: boolean
  readonly keyId?: string
}

function bucketFor(ctx: RequestContext, routeMethod: string): Bucket | undefined {
  const plan = ctx.identity.usagePlan
  const keyId = ctx.identity.apiKeyId
  if (plan !== undefined && keyId !== undefined) {
    const keys = methodKeys(ctx.resourcePath, ctx.request.method, routeMethod)
    const limits = planThrottle(plan, ctx.api.id, ctx.stage.name, keys)
    return {
      objectName: planKeyObjectName(plan.id, keyId),
      request: planRequest(plan, keyId, limits),
      failOpen: planFailsOpen(plan),
      keyId,
    }
  }
  const { defaultRouteSettings, routeSettings } = ctx.stage
  // Most routes have no limits at all: no allocation, no call.
  if (defaultRouteSettings === undefined && routeSettings === undefined) return undefined
  const names = { routeKey: ctx.routeKey, resourcePath: ctx.resourcePath, routeMethod }
  const throttle = routeThrottle(names, ctx.request.method, defaultRouteSettings, routeSettings)
  if (throttle === undefined) return undefined
  return {
    objectName: routeObjectName(ctx.api.id, ctx.stage.name, ctx.routeKey),
    request: { throttle },
    failOpen: false,
  }
}

function log(ctx: RequestContext, bucket: Bucket, event: string, cause: unknown): void {
  // The key id only — never the key.
  console.log(
    JSON.stringify({
      level: 'error',
      event,
      requestId: ctx.requestId,
      object: bucket.objectName,
      ...(bucket.keyId === undefined ? {} : { keyId: bucket.keyId }),
      cause: cause instanceof Error ? cause.message : String(cause),
    })
  )
}

async function ask(
  ctx: RequestContext,
  limiter: Limiter,
  bucket: Bucket
): Promise<ConsumeResult | 'failed'> {
  try {
    if (leaseApplies(bucket.request)) {
      return await admitFromLease(ctx, limiter, bucket.objectName, bucket.request)
    }
    return await limiter.consume(ctx.env, bucket.objectName, bucket.request)
  } catch (cause) {
    if (!bucket.failOpen) {
      throw new GatewayError('SERVICE_UNAVAILABLE', {
        reason: `rate limiter failed for ${bucket.objectName}; failing closed`,
        headers: { 'Retry-After': '1' },
        cause,
      })
    }
    log(ctx, bucket, 'throttle_fail_open', cause)
    return 'failed'
  }
}

/** The throttle step for one route; tests pass their own `limiter` in the input. */
export function buildThrottle(input: ThrottleBuildInput): PolicyHandler {
  const limiter = input.limiter ?? DEFAULT_LIMITER
  const routeMethod = routeMethodOf(input.route.routeKey)
  // Stage settings are only known per request (one build serves a deployment on any stage).
  return async (ctx, next) => {
    const bucket = bucketFor(ctx, routeMethod)
    if (bucket === undefined) return next()
    const result = await ask(ctx, limiter, bucket)
    if (result === 'failed') return next()
    setRateLimitHeaders(ctx.responseHeaders, bucket.request, result, Date.now())
    if (!result.allowed) {
      throw new GatewayError(result.reason, {
        reason: `${result.reason} on ${bucket.objectName}`,
        headers: { 'Retry-After': retryAfterSeconds(result.retryAfterMs) },
      })
    }
    return next()
  }
}

/** The registered throttle step (real RateLimiter objects). */
export const throttlePolicy: Policy = { name: 'throttle', build: buildThrottle }
