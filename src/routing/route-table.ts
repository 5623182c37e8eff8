/**
 * Route tables: compiled once per deployment from `ApiConfig.routes`, then asked per request
 * which route serves (method, canonical path). Semantics are API Gateway's (docs/routing.md):
 * case-sensitive; per segment literal > `{param}` > `{proxy+}` with backtracking; at one path,
 * the exact method > (HEAD only) GET > ANY; HTTP APIs fall back to `$default`.
 */
import type { ProtocolType, RouteConfig } from '../config/types'
import { err, ok, type Result } from '../result'
import { decodeSegment } from './canonical-path'
import { parseRouteKey, SERVED_METHODS } from './route-key'
import { insert, newNode, walk, type Found, type MethodMap, type RouteEntry } from './route-trie'

/** Why one route of a table was refused. */
export interface RouteTableIssue {
  /** Index in the `routes` array. */
  index: number
  routeKey: string
  message: string
}

export interface RouteMatch {
  route: RouteConfig
  /** Decoded values; a greedy value is the rest of the path, segments joined by `/`. */
  pathParameters: Record<string, string>
  /** The template (`/pets/{petId}`), or `$default`. */
  resourcePath: string
}

/** A path match regardless of method: enough to answer 405/403 or a CORS preflight. */
export interface PathMatch {
  resourcePath: string
  /** Methods declared at that path (`ANY` included as such). */
  methods: string[]
  pathParameters: Record<string, string>
}

export interface RouteTable {
  readonly protocol: ProtocolType
  /** Best route for a canonical path, `$default` (HTTP APIs) when nothing else matches. */
  match(method: string, canonicalPath: string): RouteMatch | undefined
  /** Most specific path with any route, ignoring method and `$default`. */
  matchPath(canonicalPath: string): PathMatch | undefined
  /** WebSocket APIs: the route for a selected route key, else `$default`. */
  selectWebSocketRoute(routeKey: string): RouteConfig | undefined
}

/** AWS WebSocket route keys: 1–128 characters, no control characters. */
function isWebSocketRouteKey(key: string): boolean {
  if (key.length === 0 || key.length > 128) return false
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return false
  }
  return true
}

function params(names: readonly string[], values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  names.forEach((name, k) => {
    out[name] = values[k] ?? ''
  })
  return out
}

function pickMethod(methods: MethodMap, method: string): RouteEntry | undefined {
  // HEAD falls back to the GET route (RFC 9110 §9.3.2: HEAD is GET without content), then ANY.
  const exact = methods.get(method) ?? (method === 'HEAD' ? methods.get('GET') : undefined)
  return exact ?? methods.get('ANY')
}

function splitDecoded(canonicalPath: string): string[] | undefined {
  if (!canonicalPath.startsWith('/')) return undefined
  if (canonicalPath === '/') return []
  return canonicalPath.slice(1).split('/').map(decodeSegment)
}

function compileWebSocket(routes: readonly RouteConfig[]): Result<RouteTable, RouteTableIssue[]> {
  const issues: RouteTableIssue[] = []
  const byKey = new Map<string, RouteConfig>()
  routes.forEach((route, index) => {
    const { routeKey } = route
    if (!isWebSocketRouteKey(routeKey)) {
      issues.push({ index, routeKey, message: 'WebSocket route key must be 1-128 characters' })
    } else if (byKey.has(routeKey)) {
      issues.push({ index, routeKey, message: 'duplicate route key' })
    } else byKey.set(routeKey, route)
  })
  if (issues.length > 0) return err(issues)
  return ok({
    protocol: 'WEBSOCKET',
    match: () => undefined,
    matchPath: () => undefined,
    selectWebSocketRoute: (key) => byKey.get(key) ?? byKey.get('$default'),
  })
}

/**
 * Compiles routes into a table, or lists every refused route (bad template, duplicate key,
 * conflicting parameter names, `$default` outside HTTP APIs).
 */
export function compileRouteTable(
  routes: readonly RouteConfig[],
  protocol: ProtocolType
): Result<RouteTable, RouteTableIssue[]> {
  if (protocol === 'WEBSOCKET') return compileWebSocket(routes)
  const issues: RouteTableIssue[] = []
  const root = newNode()
  let defaultRoute: RouteConfig | undefined
  routes.forEach((route, index) => {
    const { routeKey } = route
    const issue = (message: string) => issues.push({ index, routeKey, message })
    const parsed = parseRouteKey(routeKey)
    if (!parsed.ok) return issue(parsed.error)
    if (parsed.value.kind === 'default') {
      if (protocol !== 'HTTP') return issue('$default routes exist only in HTTP APIs')
      if (defaultRoute !== undefined) return issue('duplicate route key')
      defaultRoute = route
      return
    }
    const { method, path, segments } = parsed.value
    const methods = insert(root, segments, protocol === 'REST')
    if (typeof methods === 'string') return issue(methods)
    const existing = methods.get(method)
    if (existing !== undefined) {
      return issue(`duplicate route (same as "${existing.route.routeKey}")`)
    }
    const paramNames = segments.flatMap((s) => (s.kind === 'literal' ? [] : [s.name]))
    methods.set(method, { route, resourcePath: path, paramNames })
  })
  if (issues.length > 0) return err(issues)

  const find = (canonicalPath: string, accept: (m: MethodMap) => RouteEntry | undefined) => {
    const segs = splitDecoded(canonicalPath)
    return segs === undefined ? undefined : walk(root, segs, 0, [], accept)
  }
  const toMatch = (found: Found): RouteMatch => ({
    route: found.entry.route,
    pathParameters: params(found.entry.paramNames, found.values),
    resourcePath: found.entry.resourcePath,
  })
  return ok({
    protocol,
    match(method, canonicalPath) {
      if (!SERVED_METHODS.has(method)) return undefined
      const found = find(canonicalPath, (m) => pickMethod(m, method))
      if (found !== undefined) return toMatch(found)
      // AWS: `$default` catches requests that match no other route (HTTP APIs only).
      return defaultRoute === undefined
        ? undefined
        : { route: defaultRoute, pathParameters: {}, resourcePath: '$default' }
    },
    matchPath(canonicalPath) {
      const found = find(canonicalPath, (m) => m.values().next().value)
      if (found === undefined) return undefined
      const { resourcePath, paramNames } = found.entry
      return {
        resourcePath,
        methods: [...found.methods.keys()],
        pathParameters: params(paramNames, found.values),
      }
    },
    selectWebSocketRoute: () => undefined,
  })
}
