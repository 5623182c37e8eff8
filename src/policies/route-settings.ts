/**
 * A route's stage settings (pure), shared by throttling and caching: HTTP API
 * `routeSettings[routeKey]` and REST `methodSettings` as `'/path/METHOD'`, both in
 * `stage.routeSettings`, over `defaultRouteSettings` (AWS `*\/*`) which callers apply field by field.
 */
import type { RouteSettingsConfig } from '../config/types'

/** How the route is named in settings keys. */
export interface RouteNames {
  readonly routeKey: string
  readonly resourcePath: string
  /** The route's own method (`GET`, `ANY`). */
  readonly routeMethod: string
}

export type SettingsMap = Readonly<Record<string, RouteSettingsConfig>>

/** The method of a route key (`GET /pets` → `GET`); `$default` and the like are `ANY`. Build time. */
export function routeMethodOf(routeKey: string): string {
  const space = routeKey.indexOf(' ')
  return space > 0 ? routeKey.slice(0, space) : 'ANY'
}

function own(map: SettingsMap | undefined, key: string): RouteSettingsConfig | undefined {
  // Own keys only: a settings key must never resolve to something on the prototype.
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined
}

/** Settings written for exactly this method (never the ANY route's or the stage's). */
export function methodSpecificSettings(
  map: SettingsMap | undefined,
  names: RouteNames,
  method: string
): RouteSettingsConfig | undefined {
  if (names.routeMethod === method) {
    const byRouteKey = own(map, names.routeKey)
    if (byRouteKey !== undefined) return byRouteKey
  }
  return own(map, `${names.resourcePath}/${method}`)
}

/**
 * The route's own settings for a request method, most specific first: the method's own key, then
 * the route key, then `'/path/ROUTEMETHOD'` (an ANY route's settings). `undefined` → defaults only.
 */
export function routeSpecificSettings(
  map: SettingsMap | undefined,
  names: RouteNames,
  method: string
): RouteSettingsConfig | undefined {
  if (map === undefined) return undefined
  return (
    methodSpecificSettings(map, names, method) ??
    own(map, names.routeKey) ??
    own(map, `${names.resourcePath}/${names.routeMethod}`)
  )
}
