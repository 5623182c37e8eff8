/**
 * Builds a realistic `RequestContext` for tests of policies and integrations, as the pipeline
 * would hand it over: canonical path below the stage, platform client IP, fresh log facts.
 * Everything has a sensible default; pass only what a test is about.
 */
import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import type { ApiConfig, IntegrationConfig, RouteConfig } from '../../src/config/types'
import type { GatewayBindings } from '../../src/env'
import type { CallerIdentity, RequestContext } from '../../src/pipeline/types'

export const TEST_API_ID = 'abc123defg'
export const TEST_HOST = `${TEST_API_ID}.execute-api.localhost`

/** A minimal valid API of `protocolType` (HTTP unless given), with the given overrides. */
export function makeApi(overrides: Partial<ApiConfig> = {}): ApiConfig {
  return {
    schemaVersion: 1,
    id: TEST_API_ID,
    name: 'test-api',
    protocolType: 'HTTP',
    createdDate: '2026-01-01T00:00:00.000Z',
    routes: [],
    integrations: [],
    ...overrides,
  }
}

/** A route; `routeKey` defaults to `$default`. */
export function makeRoute(overrides: Partial<RouteConfig> = {}): RouteConfig {
  return { id: 'route1', routeKey: '$default', integrationId: 'int1', ...overrides }
}

/** An integration; `type` defaults to HTTP_PROXY. */
export function makeIntegration(overrides: Partial<IntegrationConfig> = {}): IntegrationConfig {
  return { id: 'int1', type: 'HTTP_PROXY', ...overrides }
}

export interface RequestContextOptions {
  /** A Request, or a path+query below the host (`/dev/pets?x=1`). Default `/{stage}/`. */
  request?: Request | string
  method?: string
  headers?: HeadersInit
  body?: BodyInit | null
  api?: ApiConfig
  route?: RouteConfig
  stageName?: string
  stageVariables?: Record<string, string>
  pathParameters?: Record<string, string>
  clientIp?: string
  identity?: CallerIdentity
  requestId?: string
  startTime?: number
  env?: GatewayBindings
}

/** Builds a `RequestContext`; `path` is the request path with the `/{stage}` prefix removed. */
export function makeRequestContext(options: RequestContextOptions = {}): RequestContext {
  const stageName = options.stageName ?? 'dev'
  const api = options.api ?? makeApi()
  const route = options.route ?? makeRoute()
  const request =
    options.request instanceof Request
      ? options.request
      : new Request(`https://${TEST_HOST}${options.request ?? `/${stageName}/`}`, {
          method: options.method ?? 'GET',
          headers: options.headers ?? {},
          body: options.body ?? null,
        })
  const url = new URL(request.url)
  const fullPath = url.pathname
  const prefix = `/${stageName}`
  const path = fullPath.startsWith(`${prefix}/`)
    ? fullPath.slice(prefix.length)
    : fullPath === prefix
      ? '/'
      : fullPath
  const routePath = route.routeKey.includes(' ')
    ? route.routeKey.slice(route.routeKey.indexOf(' ') + 1)
    : route.routeKey
  return {
    request,
    env: options.env ?? env,
    executionCtx: createExecutionContext(),
    requestId: options.requestId ?? 'c0ffee00-0000-4000-8000-000000000001',
    startTime: options.startTime ?? Date.UTC(2026, 2, 4, 19, 15, 17, 135),
    clientIp: options.clientIp ?? '198.51.100.7',
    protocol: api.protocolType,
    api,
    stage: {
      name: stageName,
      deploymentId: 'dep1',
      variables: options.stageVariables ?? {},
      isCanaryRequest: false,
    },
    route,
    routeKey: route.routeKey,
    resourcePath: routePath,
    path,
    fullPath,
    domainName: url.host,
    pathParameters: options.pathParameters ?? {},
    url,
    query: url.searchParams,
    identity: options.identity ?? {},
    responseHeaders: new Headers(),
    log: {},
  }
}
