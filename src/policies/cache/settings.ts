/**
 * The effective cache settings of one request (pure). AWS stage cache: the stage must have
 * `cacheClusterEnabled`, and the route's settings (`routeSettings[routeKey]` or REST
 * `methodSettings` as `'/path/METHOD'`, over `defaultRouteSettings` = AWS `*\/*`) must have
 * `cachingEnabled` with a TTL above 0 (lookup: ../route-settings.ts). Only GET (and HEAD, answered from the cached GET) is cached,
 * unless caching is enabled under the method's own settings key (`/pets/POST`, `POST /pets`).
 */
import type { RouteSettingsConfig } from '../../config/types'
import type { ResolvedStage } from '../../pipeline/types'
import { methodSpecificSettings, routeSpecificSettings, type RouteNames } from '../route-settings'

export type { RouteNames } from '../route-settings'

/** AWS `caching/ttlInSeconds` default and maximum. */
export const DEFAULT_TTL_SECONDS = 300
export const MAX_TTL_SECONDS = 3600

export type UnauthorizedStrategy = NonNullable<
  RouteSettingsConfig['unauthorizedCacheControlHeaderStrategy']
>

export interface CacheSettings {
  readonly ttlSeconds: number
  readonly requireAuthorizationForCacheControl: boolean
  readonly unauthorizedStrategy: UnauthorizedStrategy
  readonly cacheNonSuccessResponses: boolean
}

/** Clamps a configured TTL into AWS's 0–3600 range; non-numbers fall back to the default. */
export function effectiveTtl(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value)) return DEFAULT_TTL_SECONDS
  return Math.min(MAX_TTL_SECONDS, Math.max(0, Math.floor(value)))
}

/**
 * The cache settings for `method` on this route, or `undefined` when the request is not cached.
 * HEAD looks up the GET settings (it is answered from the cached GET).
 */
export function cacheSettingsFor(
  stage: ResolvedStage,
  names: RouteNames,
  method: string
): CacheSettings | undefined {
  if (stage.cacheClusterEnabled !== true) return undefined
  const map = stage.routeSettings
  const lookupMethod = method === 'HEAD' ? 'GET' : method
  let specific: RouteSettingsConfig | undefined
  if (lookupMethod === 'GET') {
    specific = routeSpecificSettings(map, names, lookupMethod)
  } else {
    // AWS caches GET only by default; another method only when its own key enables caching.
    specific = methodSpecificSettings(map, names, lookupMethod)
    if (specific?.cachingEnabled !== true) return undefined
  }
  const defaults = stage.defaultRouteSettings
  const enabled = specific?.cachingEnabled ?? defaults?.cachingEnabled
  if (enabled !== true) return undefined
  const ttlSeconds = effectiveTtl(specific?.cacheTtlInSeconds ?? defaults?.cacheTtlInSeconds)
  if (ttlSeconds === 0) return undefined
  return {
    ttlSeconds,
    // AWS defaults: authorization required to invalidate; unauthorized → serve, with a header.
    requireAuthorizationForCacheControl:
      specific?.requireAuthorizationForCacheControl ??
      defaults?.requireAuthorizationForCacheControl ??
      true,
    unauthorizedStrategy:
      specific?.unauthorizedCacheControlHeaderStrategy ??
      defaults?.unauthorizedCacheControlHeaderStrategy ??
      'SUCCEED_WITH_RESPONSE_HEADER',
    cacheNonSuccessResponses:
      specific?.cacheNonSuccessResponses ?? defaults?.cacheNonSuccessResponses ?? false,
  }
}
