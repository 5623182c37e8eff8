/**
 * Cached APIs for the cache tests: a REST API whose `GET /items/{proxy+}` goes to the loopback
 * upstream's `/cache/**` endpoint (response shaped by the query, per-request counter `n` in the
 * body), on a stage with the cache cluster on and caching enabled by default.
 */
import type {
  IntegrationConfig,
  RouteConfig,
  RouteSettingsConfig,
  StageConfig,
} from '../../../src/config/types'
import { cacheWritesSettled } from '../../../src/policies/cache/store'
import { dataPlane, seedApi, upstream, type Seeded } from '../../support/seed'

export const CACHE_UPSTREAM: IntegrationConfig = {
  id: 'up',
  type: 'HTTP_PROXY',
  integrationUri: upstream('/cache/{proxy}'),
}

export function cachedRoute(overrides: Partial<RouteConfig> = {}): RouteConfig {
  return { id: 'items', routeKey: 'GET /items/{proxy+}', integrationId: 'up', ...overrides }
}

export interface CachedApiOptions {
  routes?: RouteConfig[]
  settings?: RouteSettingsConfig
  routeSettings?: Record<string, RouteSettingsConfig>
  stageExtras?: Partial<StageConfig>
}

export function cachedApi(options: CachedApiOptions = {}): Promise<Seeded> {
  return seedApi({
    routes: options.routes ?? [cachedRoute()],
    integrations: [CACHE_UPSTREAM],
    stageExtras: {
      cacheClusterEnabled: true,
      defaultRouteSettings: { cachingEnabled: true, cacheTtlInSeconds: 300, ...options.settings },
      ...(options.routeSettings === undefined ? {} : { routeSettings: options.routeSettings }),
      ...options.stageExtras,
    },
  })
}

export interface Answer {
  status: number
  headers: Headers
  text: string
  /** The upstream's per-request counter, when the body is the upstream's JSON. */
  n: number | undefined
  body: Record<string, unknown> | undefined
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * One request, body read, then every background cache write of this isolate awaited — so the
 * next request sees what this one stored, without timing.
 */
export async function call(
  host: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET'
): Promise<Answer> {
  const res = await dataPlane(host, path, { method, headers })
  const text = await res.text()
  await cacheWritesSettled()
  const body = parse(text)
  const n = typeof body?.n === 'number' ? body.n : undefined
  return { status: res.status, headers: res.headers, text, n, body }
}

/** A fresh path below `/dev/items/` (each test its own entries). */
export function freshPath(query = ''): string {
  return `/dev/items/${crypto.randomUUID()}${query}`
}
