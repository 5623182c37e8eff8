/**
 * `paths` → routes and integrations: one RouteConfig per (path, method), `ANY` for
 * `x-amazon-apigateway-any-method`, `$default` for an HTTP API's `/$default` path (AWS "Working
 * with OpenAPI definitions for HTTP APIs"). Each operation keeps its OpenAPI fields (minus the
 * integration and `operationId`, which have their own config fields) in `openapiOperation`.
 */
import type { IntegrationConfig, RouteConfig } from '../config/types'
import type { Diagnostics } from './diagnostics'
import { warnExtensions } from './extensions'
import { CACHE_SHARED_EXTENSION, importIntegration, importRouteCache } from './import-integration'
import { importSecurity } from './import-security'
import { VALIDATOR_EXTENSION, validatorId, type ValidatorLookup } from './import-access'
import { importRequestModels, type ModelRegistry } from './import-models'
import type { JsonObject } from './json'
import { child, cloneJson, isRecord, omit, pointer } from './json'
import { parsePath, SiblingCheck } from './path-syntax'
import { convertOperation } from './swagger2'

export interface PathsContext {
  protocolType: 'REST' | 'HTTP'
  version: 2 | 3
  doc: JsonObject
  /** '' or `/a/b` (basepath prepend/split). */
  prefix: string
  /** Security schemes by name, OpenAPI 3 shape. */
  schemes: JsonObject
  /** Security scheme name → id of the authorizer imported from it. */
  authorizerIds: ReadonlyMap<string, string>
  /** REST: request validators and models (HTTP APIs have neither). */
  validators?: ValidatorLookup
  models?: ModelRegistry
  newId: () => string
}

const METHODS: Record<string, string> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
}
const PATH_ITEM_FIELDS = new Set(['parameters', 'summary', 'description', 'servers'])

export function importPaths(
  paths: JsonObject,
  ctx: PathsContext,
  d: Diagnostics
): { routes: RouteConfig[]; integrations: IntegrationConfig[] } {
  const routes: RouteConfig[] = []
  const integrations: IntegrationConfig[] = []
  const siblings = new SiblingCheck()
  const operationIds = new Map<string, string>()
  for (const [rawPath, item] of Object.entries(paths)) {
    const base = pointer('paths', rawPath)
    const isDefault = rawPath === '/$default'
    if (isDefault && ctx.protocolType !== 'HTTP') {
      d.error(base, '/$default is an HTTP API route; REST APIs use /{proxy+}')
      continue
    }
    const full = isDefault
      ? rawPath
      : ctx.prefix + (rawPath === '/' && ctx.prefix !== '' ? '' : rawPath)
    const parsed = isDefault
      ? { ok: true as const, value: { params: [], shape: ['$default'] } }
      : parsePath(full)
    if (!parsed.ok) {
      d.error(base, parsed.error)
      continue
    }
    const conflict = siblings.add(parsed.value)
    if (conflict !== undefined) d.error(base, conflict)
    if (!isRecord(item)) {
      d.error(base, 'A path item must be an object')
      continue
    }
    if (typeof item.$ref === 'string') {
      d.error(child(base, '$ref'), 'Path item $ref is not supported: inline the path item')
      continue
    }
    const shared = resolveParameters(item.parameters, child(base, 'parameters'), ctx.doc, d)
    for (const [key, op] of Object.entries(item)) {
      const at = child(base, key)
      const method = METHODS[key]
      if (method === undefined) {
        if (PATH_ITEM_FIELDS.has(key)) {
          if (key !== 'parameters')
            d.warn(at, `Path-level ${key} is not kept (put it on the operations)`)
        } else if (key.startsWith('x-')) {
          d.warn(at, `Path-level extension ${key} is not supported and not kept`)
        } else
          d.error(
            at,
            `Invalid method ${key}: API Gateway supports GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH and x-amazon-apigateway-any-method`
          )
        continue
      }
      if (isDefault && method !== 'ANY') {
        d.error(at, 'The $default route takes only x-amazon-apigateway-any-method')
        continue
      }
      if (!isRecord(op)) {
        d.error(at, 'An operation must be an object')
        continue
      }
      const routeKey = isDefault ? '$default' : `${method} ${full}`
      const route: RouteConfig = { id: ctx.newId(), routeKey }
      if (typeof op.operationId === 'string') {
        const previous = operationIds.get(op.operationId)
        if (previous !== undefined)
          d.error(
            child(at, 'operationId'),
            `Duplicate operationId ${op.operationId} (also used by ${previous})`
          )
        operationIds.set(op.operationId, routeKey)
        route.operationName = op.operationId
      } else if (op.operationId !== undefined)
        d.error(child(at, 'operationId'), 'operationId must be a string')
      const own = resolveParameters(op.parameters, child(at, 'parameters'), ctx.doc, d)
      const params = mergeParameters(shared, own)
      Object.assign(route, requestParameters(params, parsed.value.params, at, d))
      const security = op.security ?? ctx.doc.security
      Object.assign(
        route,
        importSecurity(
          security,
          child(op.security === undefined ? '' : at, 'security'),
          ctx.schemes,
          ctx.authorizerIds,
          d
        )
      )
      if (
        isRecord(op['x-amazon-apigateway-auth']) &&
        op['x-amazon-apigateway-auth'].type === 'aws_iam'
      ) {
        route.authorizationType = 'AWS_IAM'
      }
      const rawIntegration = op['x-amazon-apigateway-integration']
      Object.assign(route, importRouteCache(op, at, parsed.value.params, d))
      const rest = omit(op, [
        'x-amazon-apigateway-integration',
        'operationId',
        'parameters',
        CACHE_SHARED_EXTENSION,
        ...(ctx.validators === undefined ? [] : [VALIDATOR_EXTENSION]),
      ])
      const stored = normalizeOperation(rest, params, ctx)
      Object.assign(route, importRouteValidation(op, stored, route, at, ctx, d))
      warnExtensions(stored, at, d)
      if (Object.keys(stored).length > 0) route.openapiOperation = stored
      if (rawIntegration === undefined) {
        d.warn(
          at,
          'No x-amazon-apigateway-integration: the route answers 500 until an integration is attached'
        )
      } else {
        const integration = importIntegration(
          rawIntegration,
          child(at, 'x-amazon-apigateway-integration'),
          {
            id: ctx.newId(),
            protocolType: ctx.protocolType,
            routeParams: parsed.value.params,
          },
          d
        )
        if (integration !== undefined) {
          integrations.push(integration)
          route.integrationId = integration.id
        }
      }
      routes.push(route)
    }
  }
  return { routes, integrations }
}

/** REST: the operation's request validator (its own, else the document's) and body models. */
function importRouteValidation(
  op: JsonObject,
  stored: JsonObject,
  route: RouteConfig,
  at: string,
  ctx: PathsContext,
  d: Diagnostics
): Pick<RouteConfig, 'requestValidatorId' | 'requestModels'> {
  const out: Pick<RouteConfig, 'requestValidatorId' | 'requestModels'> = {}
  if (ctx.validators !== undefined) {
    const own = op[VALIDATOR_EXTENSION]
    const id =
      own === undefined
        ? ctx.validators.defaultId
        : validatorId(own, child(at, VALIDATOR_EXTENSION), ctx.validators, d)
    if (id !== undefined) out.requestValidatorId = id
  }
  if (ctx.models !== undefined)
    Object.assign(out, importRequestModels(stored, route, ctx.models, at))
  return out
}

function normalizeOperation(
  op: JsonObject,
  params: JsonObject[] | undefined,
  ctx: PathsContext
): JsonObject {
  if (ctx.version === 2) return convertOperation(op, params, ctx.doc)
  const out = cloneJson(op)
  if (params !== undefined) out.parameters = params
  return out
}

/** Local `$ref`s only (`#/parameters/x`, `#/components/parameters/x`): nothing is fetched. */
function resolveParameters(
  raw: unknown,
  path: string,
  doc: JsonObject,
  d: Diagnostics
): JsonObject[] | undefined {
  if (raw === undefined) return undefined
  if (!Array.isArray(raw)) {
    d.error(path, 'parameters must be an array')
    return undefined
  }
  const out: JsonObject[] = []
  raw.forEach((p: unknown, i) => {
    let param = p
    if (isRecord(p) && typeof p.$ref === 'string') param = resolveRef(p.$ref, doc)
    if (!isRecord(param) || typeof param.name !== 'string' || typeof param.in !== 'string') {
      d.error(
        child(path, i),
        isRecord(p) && p.$ref !== undefined
          ? 'Unresolvable parameter $ref (only local references are followed)'
          : 'A parameter needs a name and an in'
      )
      return
    }
    const copy = cloneJson(param)
    // Stored normalised (AWS: path parameters are always required) so that export round-trips.
    if (copy.in === 'path' || copy.required === true) copy.required = true
    else delete copy.required
    out.push(copy)
  })
  return out
}

function resolveRef(ref: string, doc: JsonObject): unknown {
  if (!ref.startsWith('#/')) return undefined
  let node: unknown = doc
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    node = isRecord(node) ? node[key] : undefined
  }
  return node
}

function mergeParameters(
  shared: JsonObject[] | undefined,
  own: JsonObject[] | undefined
): JsonObject[] | undefined {
  if (shared === undefined) return own
  const merged = [...shared]
  for (const p of own ?? []) {
    const i = merged.findIndex((q) => q.name === p.name && q.in === p.in)
    if (i >= 0) merged[i] = p
    else merged.push(p)
  }
  return merged
}

const LOCATIONS: Record<string, string> = { path: 'path', query: 'querystring', header: 'header' }

function requestParameters(
  params: JsonObject[] | undefined,
  pathParams: string[],
  at: string,
  d: Diagnostics
): Pick<RouteConfig, 'requestParameters'> {
  const out: Record<string, boolean> = {}
  for (const p of params ?? []) {
    const location = typeof p.in === 'string' ? LOCATIONS[p.in] : undefined
    if (location === undefined || typeof p.name !== 'string') continue
    if (location === 'path' && !pathParams.includes(p.name)) {
      d.warn(child(at, 'parameters'), `Path parameter ${p.name} is not in the path template`)
    }
    out[`method.request.${location}.${p.name}`] = p.required === true
  }
  return Object.keys(out).length > 0 ? { requestParameters: out } : {}
}
