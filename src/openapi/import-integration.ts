/**
 * `x-amazon-apigateway-integration` → `IntegrationConfig` (AWS "x-amazon-apigateway-integration
 * object"). http_proxy → HTTP_PROXY, http → HTTP, mock → MOCK, aws_proxy with a Lambda function
 * → WORKER; AWS service integrations (`aws`, `aws_proxy` with a subtype) and VPC links are
 * refused. Fields Portico keeps but does not act on yet go to `passthrough`, with a warning.
 * `cacheKeyParameters` (and the operation's `x-portico-cache-shared`) belong to the route: see
 * `importRouteCache`.
 */
import type { IntegrationConfig, IntegrationType, RouteConfig } from '../config/types'
import type { Diagnostics } from './diagnostics'
import { importMock } from './import-mock'
import type { JsonObject } from './json'
import { child, isRecord } from './json'
import { lambdaTarget } from './lambda-arn'
import {
  importRequestParameters,
  importResponseParameters,
  uriPlaceholders,
} from './parameter-mapping'

export interface IntegrationContext {
  id: string
  protocolType: 'REST' | 'HTTP'
  /** Path parameter names of the route (`proxy` for `{proxy+}`). */
  routeParams: string[]
}

const TYPES: Record<string, IntegrationType> = {
  http_proxy: 'HTTP_PROXY',
  http: 'HTTP',
  mock: 'MOCK',
  aws_proxy: 'WORKER',
}
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'ANY'])
/** Kept for round trip; templates, passthrough and content handling come later. */
const PASSTHROUGH = [
  'passthroughBehavior',
  'contentHandling',
  // AWS: a namespace lets methods share cache entries; Portico's keys are per route.
  'cacheNamespace',
  'requestTemplates',
  'responses',
  'credentials',
  'tlsConfig',
]
const HANDLED = new Set([
  'type',
  'uri',
  'httpMethod',
  'timeoutInMillis',
  'connectionType',
  'connectionId',
  'payloadFormatVersion',
  'requestParameters',
  'responseParameters',
  'integrationSubtype',
  'description',
  // The route's RouteConfig.cacheKeyParameters (importRouteCache).
  'cacheKeyParameters',
])

/** Portico's operation-level extension: cached responses shared between callers. */
export const CACHE_SHARED_EXTENSION = 'x-portico-cache-shared'

const CACHE_KEY_PARAMETER =
  /^method\.request\.(querystring|header|path|multivaluequerystring|multivalueheader)\.[^\s]{1,200}$/
const MAX_CACHE_KEY_PARAMETERS = 50

/**
 * The route's cache fields from one operation: the integration's `cacheKeyParameters` (AWS
 * `method.request.{querystring|multivaluequerystring|header|multivalueheader|path}.{name}`) and
 * `x-portico-cache-shared: true|false`. A path parameter must be one of the route's.
 */
export function importRouteCache(
  op: JsonObject,
  path: string,
  routeParams: string[],
  d: Diagnostics
): Pick<RouteConfig, 'cacheKeyParameters' | 'cacheShared'> {
  const out: Pick<RouteConfig, 'cacheKeyParameters' | 'cacheShared'> = {}
  const shared = op[CACHE_SHARED_EXTENSION]
  if (typeof shared === 'boolean') out.cacheShared = shared
  else if (shared !== undefined)
    d.error(child(path, CACHE_SHARED_EXTENSION), 'Must be true or false')
  const integration = op['x-amazon-apigateway-integration']
  const raw = isRecord(integration) ? integration.cacheKeyParameters : undefined
  if (raw === undefined) return out
  const at = child(child(path, 'x-amazon-apigateway-integration'), 'cacheKeyParameters')
  if (!Array.isArray(raw) || raw.length > MAX_CACHE_KEY_PARAMETERS) {
    d.error(at, `cacheKeyParameters must be a list of at most ${MAX_CACHE_KEY_PARAMETERS} strings`)
    return out
  }
  const keys: string[] = []
  raw.forEach((p: unknown, i) => {
    const m = typeof p === 'string' ? CACHE_KEY_PARAMETER.exec(p) : null
    if (typeof p !== 'string' || m === null) {
      d.error(
        child(at, i),
        'A cache key parameter must be method.request.{querystring|multivaluequerystring|header|multivalueheader|path}.{name}'
      )
    } else if (m[1] === 'path' && !routeParams.includes(p.slice('method.request.path.'.length))) {
      d.error(child(at, i), `${p} is not a path parameter of the route`)
    } else if (!keys.includes(p)) keys.push(p)
  })
  if (keys.length > 0) out.cacheKeyParameters = keys
  return out
}

export function importIntegration(
  raw: unknown,
  path: string,
  ctx: IntegrationContext,
  d: Diagnostics
): IntegrationConfig | undefined {
  if (!isRecord(raw)) {
    d.error(path, 'x-amazon-apigateway-integration must be an object')
    return undefined
  }
  const rawType = typeof raw.type === 'string' ? raw.type.toLowerCase() : undefined
  if (rawType === 'aws' || (rawType === 'aws_proxy' && raw.integrationSubtype !== undefined)) {
    d.error(
      child(path, 'type'),
      'AWS service integrations are not supported (use http_proxy, http, mock or aws_proxy with a Lambda function)'
    )
    return undefined
  }
  const type = rawType === undefined ? undefined : TYPES[rawType]
  if (type === undefined) {
    d.error(child(path, 'type'), 'type must be one of http_proxy, http, mock, aws_proxy')
    return undefined
  }
  const out: IntegrationConfig = { id: ctx.id, type }
  const passthrough: JsonObject = {}
  connection(raw, path, d)
  if (raw.timeoutInMillis !== undefined) {
    const t = raw.timeoutInMillis
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 50 || t > 29000) {
      d.error(child(path, 'timeoutInMillis'), 'timeoutInMillis must be an integer from 50 to 29000')
    } else out.timeoutInMillis = t
  }
  if (raw.payloadFormatVersion !== undefined) {
    const p = raw.payloadFormatVersion
    // JSON/YAML may give the number 1 for `1.0`.
    const v = typeof p === 'number' ? p.toFixed(1) : p
    if (v === '1' || v === '1.0') out.payloadFormatVersion = '1.0'
    else if (v === '2' || v === '2.0') out.payloadFormatVersion = '2.0'
    else d.error(child(path, 'payloadFormatVersion'), 'payloadFormatVersion must be 1.0 or 2.0')
  }
  if (typeof raw.description === 'string') out.description = raw.description
  if (type === 'MOCK') {
    const mock = importMock(raw, path, d)
    out.mockResponse = mock.mockResponse
    Object.assign(passthrough, mock.passthrough)
  } else if (type === 'WORKER') worker(raw, path, out, passthrough, d)
  else http(raw, path, ctx, out, d)
  for (const [key, value] of Object.entries(raw)) {
    if (HANDLED.has(key)) continue
    if (type === 'MOCK' && (key === 'requestTemplates' || key === 'responses')) continue
    passthrough[key] = value
    d.warn(
      child(path, key),
      PASSTHROUGH.includes(key)
        ? `${key} is kept for export but not enforced yet`
        : `Unknown integration property ${key} is kept for export but ignored`
    )
  }
  if (Object.keys(passthrough).length > 0) out.passthrough = passthrough
  return out
}

function connection(raw: JsonObject, path: string, d: Diagnostics): void {
  if (raw.connectionType === 'VPC_LINK' || raw.connectionId !== undefined) {
    d.error(child(path, 'connectionType'), 'VPC link (private) integrations are not supported')
  } else if (raw.connectionType !== undefined && raw.connectionType !== 'INTERNET') {
    d.error(child(path, 'connectionType'), 'connectionType must be INTERNET')
  }
}

function worker(
  raw: JsonObject,
  path: string,
  out: IntegrationConfig,
  passthrough: JsonObject,
  d: Diagnostics
): void {
  const uri = raw.uri
  const target = typeof uri === 'string' ? lambdaTarget(uri) : undefined
  if (typeof uri !== 'string' || target === undefined) {
    d.error(
      child(path, 'uri'),
      'aws_proxy integrations must invoke a Lambda function ' +
        '(arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations); ' +
        'AWS service integrations are not supported'
    )
    return
  }
  out.integrationUri = target.integrationUri
  // Kept so that export gives back the exact ARN while the binding still matches it.
  passthrough.uri = uri
  d.warn(
    child(path, 'uri'),
    target.stageVariable === undefined
      ? `The Lambda function is invoked as the Worker service binding ${target.binding}: ` +
          `declare it in wrangler.toml ([[services]] binding = "${target.binding}")`
      : `The Lambda function name comes from stage variable ${target.stageVariable}: its value, ` +
          'in UPPER_SNAKE, must name a Worker service binding declared in wrangler.toml'
  )
  if (raw.requestParameters !== undefined) {
    const m = importRequestParameters(raw.requestParameters, child(path, 'requestParameters'), d)
    if (Object.keys(m.requestParameters).length > 0) out.requestParameters = m.requestParameters
  }
}

function http(
  raw: JsonObject,
  path: string,
  ctx: IntegrationContext,
  out: IntegrationConfig,
  d: Diagnostics
): void {
  if (typeof raw.httpMethod === 'string') {
    const method = raw.httpMethod.toUpperCase()
    if (!METHODS.has(method))
      d.error(child(path, 'httpMethod'), `Invalid httpMethod ${raw.httpMethod}`)
    else if (method !== 'ANY') out.integrationMethod = method
  } else if (raw.httpMethod !== undefined)
    d.error(child(path, 'httpMethod'), 'httpMethod must be a string')
  const mapping =
    raw.requestParameters === undefined
      ? undefined
      : importRequestParameters(raw.requestParameters, child(path, 'requestParameters'), d)
  if (mapping !== undefined && Object.keys(mapping.requestParameters).length > 0) {
    out.requestParameters = mapping.requestParameters
  }
  if (raw.responseParameters !== undefined) {
    const rp = importResponseParameters(
      raw.responseParameters,
      child(path, 'responseParameters'),
      d
    )
    if (rp !== undefined && Object.keys(rp).length > 0) out.responseParameters = rp
  }
  if (typeof raw.uri !== 'string') {
    d.error(child(path, 'uri'), 'uri must be an absolute http(s) URL')
    return
  }
  let uri = raw.uri
  for (const [from, to] of mapping?.pathRenames ?? []) uri = uri.replaceAll(`{${from}}`, `{${to}}`)
  if (!isHttpUrl(uri)) {
    d.error(child(path, 'uri'), 'uri must be an absolute http(s) URL')
    return
  }
  for (const name of uriPlaceholders(uri)) {
    if (!ctx.routeParams.includes(name)) {
      d.error(
        child(path, 'uri'),
        `uri placeholder {${name}} is not a path parameter of the route` +
          (ctx.protocolType === 'REST'
            ? ' (map it with integration.request.path.' + name + ')'
            : '')
      )
    }
  }
  out.integrationUri = uri
}

/** Absolute http(s) URL once `${stageVariables.x}` and `{param}` are given sample values. */
function isHttpUrl(uri: string): boolean {
  const sample = uri
    .replace(/\$\{stageVariables\.[A-Za-z0-9_]+\}/g, 'stagevar')
    .replace(/\{[^{}]+\}/g, 'param')
  try {
    const url = new URL(sample)
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.username === '' &&
      url.password === ''
    )
  } catch {
    return false
  }
}
