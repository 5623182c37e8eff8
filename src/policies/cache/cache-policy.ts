/**
 * The response cache (DESIGN §4 step 8 lookup, step 11 store): AWS stage-cache semantics on the
 * Cache API, RFC 9111-correct for a shared cache. Settings: settings.ts; key: cache-key.ts (per
 * caller on authorized routes); what is stored: storability.ts; client invalidation:
 * invalidation.ts; conditional requests: conditional.ts. `X-Cache: Hit|Miss` on every cached
 * route's response; `CacheHitCount` / `CacheMissCount` per (API, stage, minute). Failure policy:
 * a failing cache never fails the request (logged; the integration answers).
 */
import { METRICS, type Metrics } from '../../observability/metrics'
import type { Policy, PolicyHandler, RequestContext, RouteBuildInput } from '../../pipeline/types'
import { parseCacheControl } from './cache-control'
import { cacheKeyFor, identityPart, isIdentityKeyed } from './cache-key'
import { isNotModified, notModified } from './conditional'
import { IGNORED_WARNING, invalidationOutcome } from './invalidation'
import { compileKeyParameters } from './key-parameters'
import { cacheSettingsFor, type CacheSettings } from './settings'
import { routeMethodOf } from '../route-settings'
import { decideStore } from './storability'
import { EDGE_CACHE, logCacheFailure, type CacheStore } from './store'
import { readStored, servedHeaders } from './stored-entry'
import { deleteInBackground, writeInBackground } from './write-entry'

/** What `build` takes: the route, and (tests only) the store, clock and metrics to use. */
export interface CacheBuildInput extends RouteBuildInput {
  readonly store?: CacheStore
  readonly now?: () => number
  readonly metrics?: Metrics
}

interface Deps {
  readonly store: CacheStore
  readonly now: () => number
  readonly metrics: Metrics
}

async function lookup(
  ctx: RequestContext,
  deps: Deps,
  key: Request
): Promise<Response | undefined> {
  let stored: Response | undefined
  try {
    stored = await deps.store.match(key)
  } catch (cause) {
    logCacheFailure(ctx.requestId, 'match', cause)
    return undefined
  }
  if (stored === undefined) return undefined
  const entry = readStored(stored, deps.now(), ctx.request.headers)
  if (entry === undefined || !entry.fresh || !entry.varyMatches) {
    // Not served: release the body we will not read.
    await stored.body?.cancel()
    return undefined
  }
  const headers = servedHeaders(entry)
  if (isNotModified(ctx.request.headers, headers, stored.status)) {
    await stored.body?.cancel()
    return notModified(headers)
  }
  return new Response(stored.body, {
    status: stored.status,
    statusText: stored.statusText,
    headers,
  })
}

function storeOptions(
  ctx: RequestContext,
  settings: CacheSettings,
  identityKeyed: boolean,
  now: number
) {
  return {
    configTtlSeconds: settings.ttlSeconds,
    cacheNonSuccessResponses: settings.cacheNonSuccessResponses,
    sharedAuthorizedRequest: !identityKeyed && ctx.request.headers.has('authorization'),
    requestNoStore: parseCacheControl(ctx.request.headers.get('cache-control')).has('no-store'),
    now,
  }
}

/** The cache step for one route; tests pass their own store / clock / metrics in the input. */
export function buildCache(input: CacheBuildInput): PolicyHandler | undefined {
  if (input.api.protocolType === 'WEBSOCKET') return undefined
  const deps: Deps = {
    store: input.store ?? EDGE_CACHE,
    now: input.now ?? (() => Date.now()),
    metrics: input.metrics ?? METRICS,
  }
  const route = input.route
  const extractors = compileKeyParameters(route.cacheKeyParameters)
  const identityKeyed = isIdentityKeyed(route)
  const routeMethod = routeMethodOf(route.routeKey)
  // Stage settings are only known per request (one build serves a deployment on any stage).
  return async (ctx, next) => {
    // Most stages have no cache cluster: nothing to look up.
    if (ctx.stage.cacheClusterEnabled !== true) return next()
    const method = ctx.request.method
    const names = { routeKey: ctx.routeKey, resourcePath: ctx.resourcePath, routeMethod }
    const settings = cacheSettingsFor(ctx.stage, names, method)
    if (settings === undefined) return next()
    const identity = identityKeyed ? identityPart(ctx.identity) : null
    // An identity-keyed route without an identity is never cached: nothing shared by accident.
    if (identity === undefined) return next()
    const outcome = invalidationOutcome(ctx, settings)
    if (outcome === 'ignore-with-header') ctx.responseHeaders.set('Warning', IGNORED_WARNING)
    const keyMethod = method === 'HEAD' ? 'GET' : method
    const key = await cacheKeyFor({ ctx, method: keyMethod, extractors, identity })
    const count = (hit: boolean) => {
      const metric = hit ? 'CacheHitCount' : 'CacheMissCount'
      deps.metrics.count(ctx, ctx.api.id, ctx.stage.name, metric)
    }
    if (outcome !== 'refresh') {
      const hit = await lookup(ctx, deps, key)
      if (hit !== undefined) {
        count(true)
        ctx.responseHeaders.set('X-Cache', 'Hit')
        return hit
      }
    }
    count(false)
    ctx.responseHeaders.set('X-Cache', 'Miss')
    const response = await next()
    // HEAD has no body to store; the GET entry is filled by a GET.
    if (method === 'HEAD') return response
    const now = deps.now()
    const decision = decideStore(
      response.status,
      response.headers,
      storeOptions(ctx, settings, identityKeyed, now)
    )
    if (!decision.store) {
      if (outcome === 'refresh') deleteInBackground(ctx, deps.store, key)
      return response
    }
    const { ttlSeconds, upstreamAgeSeconds } = decision
    return writeInBackground(
      { ctx, store: deps.store, key, ttlSeconds, upstreamAgeSeconds, now },
      response
    )
  }
}

/** The registered cache step (the location's Cache API). */
export const cachePolicy: Policy = { name: 'cache', build: buildCache }
