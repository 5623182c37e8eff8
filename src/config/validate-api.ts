/**
 * Semantic checks on an `ApiConfig` that already matches the schema: references between routes
 * and integrations, unique ids, and what each integration type needs (with the SSRF guard on
 * upstream URLs). Route-table conflicts beyond exact duplicates are the compile step's
 * (`routing/route-key.ts`), not repeated here.
 */
import { parseCidr } from '../policies/resource-policy/cidr'
import type { ApiConfig, IntegrationConfig, ResourcePolicyConfig, RouteConfig } from './types'
import { checkUpstreamUrl, hasTemplatedHost } from './upstream-url'
import { authorizerIssues } from './validate-authorizers'
import { corsConfigIssues } from './validate-cors'
import { pointer, type ConfigIssue } from './validate-issues'
import { modelIssues } from './validate-models'
import { webSocketIssues } from '../websocket/validate-websocket'

/** HTTP and REST route keys: `$default` or `METHOD /path` (path syntax: the compile step). */
const HTTP_ROUTE_KEY = /^(\$default|[A-Z]+ \/\S*)$/
/** WebSocket: the predefined keys, or a custom key that does not start with `$` (AWS). */
const WEBSOCKET_ROUTE_KEY = /^(\$connect|\$disconnect|\$default|[^\s$]\S{0,127})$/
/** `worker://BINDING`: a Workers service binding name as wrangler accepts it, upper case. */
const WORKER_URI = /^worker:\/\/([A-Z][A-Z0-9_]{0,63}|\$\{stageVariables\.[A-Za-z0-9_]{1,64}\})$/
const STAGE_VARIABLE_PLACEHOLDER = /^\$\{stageVariables\.[A-Za-z0-9_]{1,64}\}$/
const NEEDS_AUTHORIZER = new Set(['JWT', 'CUSTOM', 'COGNITO_USER_POOLS'])

/** Reports entries whose `key` repeats an earlier one. */
function duplicates<T>(
  items: readonly T[],
  key: (item: T) => string,
  path: (index: number) => string,
  what: string
): ConfigIssue[] {
  const first = new Map<string, number>()
  const issues: ConfigIssue[] = []
  items.forEach((item, index) => {
    const value = key(item)
    const earlier = first.get(value)
    if (earlier === undefined) first.set(value, index)
    else
      issues.push({
        path: path(index),
        message: `duplicate ${what} ${JSON.stringify(value)} (also at ${path(earlier)})`,
      })
  })
  return issues
}

/** Every resource policy entry must be an IPv4/IPv6 address or CIDR block (`at`: the policy). */
function checkResourcePolicy(policy: ResourcePolicyConfig | undefined, at: string): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  for (const list of ['sourceIpAllow', 'sourceIpDeny'] as const) {
    policy?.[list]?.forEach((entry, i) => {
      const parsed = parseCidr(entry)
      if (!parsed.ok) {
        issues.push({
          path: `${at}${pointer(list, i)}`,
          message: `${JSON.stringify(entry)} is not an IP address or CIDR block: ${parsed.error}`,
        })
      }
    })
  }
  return issues
}

/**
 * `routeLevel: false` (the edge's load path) leaves out problems that break one route only —
 * an unknown integration reference, an upstream URL the SSRF guard refuses — so the edge can
 * serve the rest and answer 500 API_CONFIGURATION_ERROR on that route (pipeline/build.ts checks
 * them again while building). Writes through the admin API always use the full check.
 */
export interface SemanticOptions {
  routeLevel: boolean
}

function checkRoute(
  api: ApiConfig,
  route: RouteConfig,
  at: string,
  ids: Set<string>,
  options: SemanticOptions
): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const websocket = api.protocolType === 'WEBSOCKET'
  if (!(websocket ? WEBSOCKET_ROUTE_KEY : HTTP_ROUTE_KEY).test(route.routeKey)) {
    issues.push({
      path: `${at}/routeKey`,
      message: websocket
        ? 'must be $connect, $disconnect, $default or a custom key (no spaces, not starting with $, ≤ 128 characters)'
        : 'must be $default or "METHOD /path" (e.g. "GET /pets/{petId}")',
    })
  }
  if (options.routeLevel && route.integrationId !== undefined && !ids.has(route.integrationId)) {
    issues.push({
      path: `${at}/integrationId`,
      message: `refers to unknown integration ${JSON.stringify(route.integrationId)}`,
    })
  }
  const type = route.authorizationType
  if (type !== undefined && NEEDS_AUTHORIZER.has(type) && route.authorizerId === undefined) {
    issues.push({
      path: `${at}/authorizerId`,
      message: `is required when authorizationType is ${type}`,
    })
  }
  // A bad route-level list breaks this route only (built as a 500, fail closed) at load.
  if (options.routeLevel)
    issues.push(...checkResourcePolicy(route.resourcePolicy, `${at}/resourcePolicy`))
  return issues
}

/** Checks an http(s) integration URI; placeholders in the host are checked after substitution. */
function checkHttpUri(uri: string, allowLoopback: boolean): string | undefined {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(uri)?.[1]
  for (const placeholder of uri.match(/\$\{[^}]*\}/g) ?? []) {
    if (!STAGE_VARIABLE_PLACEHOLDER.test(placeholder)) {
      return `unsupported placeholder ${placeholder}: only \${stageVariables.name} is substituted`
    }
  }
  // Path parameters ({petId}, {proxy+}) fill the path only: they must never choose the host.
  if (authority !== undefined && /[{}]/.test(authority.replace(/\$\{[^}]*\}/g, ''))) {
    return 'path parameter placeholders are not allowed in the host'
  }
  if (!hasTemplatedHost(uri)) {
    const checked = checkUpstreamUrl(uri, { allowLoopback })
    return checked.ok ? undefined : checked.error
  }
  // Host from a stage variable: scheme and userinfo are still visible in the text.
  if (!/^https?:\/\//i.test(uri)) return 'must start with http:// or https://'
  if (authority?.includes('@')) return 'URL must not contain userinfo (user:password@)'
  return undefined
}

function checkIntegration(
  api: ApiConfig,
  integration: IntegrationConfig,
  at: string,
  options: SemanticOptions
): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const uri = integration.integrationUri
  const { type } = integration
  if (type === 'MOCK') {
    // WebSocket MOCKs answer from their integration responses' templates (AWS), not mockResponse.
    if (integration.mockResponse === undefined && api.protocolType !== 'WEBSOCKET') {
      issues.push({ path: `${at}/mockResponse`, message: 'is required for MOCK integrations' })
    }
    if (uri !== undefined) {
      issues.push({ path: `${at}/integrationUri`, message: 'must be absent for MOCK integrations' })
    }
    return issues
  }
  if (integration.mockResponse !== undefined) {
    issues.push({ path: `${at}/mockResponse`, message: 'is only allowed for MOCK integrations' })
  }
  if (uri === undefined) {
    issues.push({ path: `${at}/integrationUri`, message: `is required for ${type} integrations` })
  } else if (type === 'WORKER') {
    if (!WORKER_URI.test(uri)) {
      issues.push({
        path: `${at}/integrationUri`,
        message:
          'must be worker://BINDING with BINDING matching ^[A-Z][A-Z0-9_]{0,63}$, or worker://${stageVariables.name}',
      })
    }
  } else if (options.routeLevel) {
    const problem = checkHttpUri(uri, api.allowLoopbackUpstreams === true)
    if (problem !== undefined) issues.push({ path: `${at}/integrationUri`, message: problem })
  }
  return issues
}

/** Semantic issues of a schema-valid API; `base` prefixes paths (`/api` inside a deployment). */
export function apiSemanticIssues(
  api: ApiConfig,
  base = '',
  options: SemanticOptions = { routeLevel: true }
): ConfigIssue[] {
  const integrationIds = new Set(api.integrations.map((i) => i.id))
  return [
    ...duplicates(
      api.routes,
      (r) => r.id,
      (i) => `${base}${pointer('routes', i, 'id')}`,
      'route id'
    ),
    ...duplicates(
      api.routes,
      (r) => r.routeKey,
      (i) => `${base}${pointer('routes', i, 'routeKey')}`,
      'routeKey'
    ),
    ...duplicates(
      api.integrations,
      (r) => r.id,
      (i) => `${base}${pointer('integrations', i, 'id')}`,
      'integration id'
    ),
    ...api.routes.flatMap((route, i) =>
      checkRoute(api, route, `${base}${pointer('routes', i)}`, integrationIds, options)
    ),
    ...api.integrations.flatMap((integration, i) =>
      checkIntegration(api, integration, `${base}${pointer('integrations', i)}`, options)
    ),
    // API-level lists govern every route, so they are checked on the load path too.
    ...checkResourcePolicy(api.resourcePolicy, `${base}/resourcePolicy`),
    ...authorizerIssues(api, base, options),
    // At load a bad CORS configuration only turns CORS off (policies/cors/cors-state.ts).
    ...(options.routeLevel && api.corsConfiguration !== undefined
      ? corsConfigIssues(api.corsConfiguration, api.protocolType, `${base}/corsConfiguration`)
      : []),
    ...(options.routeLevel ? webSocketIssues(api, base) : []),
    ...modelIssues(api, base, options),
  ]
}
