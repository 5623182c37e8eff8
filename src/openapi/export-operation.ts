/**
 * RouteConfig → OpenAPI operation: the stored `openapiOperation`, with `operationId`, the
 * parameters declared in `requestParameters`, security for `apiKeyRequired` and the integration.
 */
import type { ApiConfig, RouteConfig } from '../config/types'
import { authorizerSecurity, exportRouteValidation } from './export-access'
import { exportIntegration, exportRouteCache } from './export-integration'
import { schemeKind } from './import-security'
import type { JsonObject } from './json'
import { cloneJson, isRecord, omit } from './json'

const IN: Record<string, string> = { path: 'path', querystring: 'query', header: 'header' }

export interface OperationContext {
  api: ApiConfig
  schemes: JsonObject
  /** Document-level `security` (kept in extras). */
  documentSecurity: unknown
  extensions: boolean
  /** Set when an `api_key` requirement was added and its scheme must be declared. */
  needsApiKeyScheme: boolean
}

export function exportOperation(route: RouteConfig, ctx: OperationContext): JsonObject {
  const op = cloneJson(route.openapiOperation ?? {})
  if (route.operationName !== undefined) op.operationId = route.operationName
  const parameters = exportParameters(op.parameters, route.requestParameters)
  if (parameters.length > 0) op.parameters = parameters
  else delete op.parameters
  const declared = Array.isArray(op.security) ? op.security : ctx.documentSecurity
  const withAuthorizer = authorizerSecurity(
    ctx.api,
    route,
    Array.isArray(declared) ? (declared as unknown[]) : []
  )
  if (withAuthorizer !== undefined) op.security = withAuthorizer
  exportRouteValidation(ctx.api, route, op)
  const security = exportSecurity(op.security, route.apiKeyRequired === true, ctx)
  if (security !== undefined) op.security = security
  const integration = ctx.api.integrations.find((i) => i.id === route.integrationId)
  if (integration !== undefined && ctx.extensions) {
    op['x-amazon-apigateway-integration'] = exportIntegration(integration, ctx.api.protocolType)
  }
  if (ctx.extensions) exportRouteCache(route, op)
  return op
}

function exportParameters(
  stored: unknown,
  declared: Record<string, boolean> | undefined
): JsonObject[] {
  const wanted = new Map<string, boolean>()
  for (const [key, required] of Object.entries(declared ?? {})) {
    const m = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key)
    const location = m?.[1] === undefined ? undefined : IN[m[1]]
    if (location !== undefined && m?.[2] !== undefined) wanted.set(`${location}:${m[2]}`, required)
  }
  const out: JsonObject[] = []
  for (const p of Array.isArray(stored) ? stored : []) {
    if (!isRecord(p)) continue
    const key = `${String(p.in)}:${String(p.name)}`
    const required = wanted.get(key)
    if (!['path', 'query', 'header'].includes(String(p.in))) out.push(p)
    else if (required !== undefined) {
      const rest = omit(p, ['required'])
      out.push(required || p.in === 'path' ? { ...rest, required: true } : rest)
      wanted.delete(key)
    }
  }
  for (const [key, required] of wanted) {
    const [location = '', name = ''] = key.split(/:(.*)/s)
    out.push({
      name,
      in: location,
      ...(required || location === 'path' ? { required: true } : {}),
      schema: { type: 'string' },
    })
  }
  return out
}

function isApiKeyRequirement(req: unknown, schemes: JsonObject): boolean {
  return (
    isRecord(req) && Object.keys(req).some((name) => schemeKind(name, schemes[name]) === 'API_KEY')
  )
}

function exportSecurity(stored: unknown, apiKeyRequired: boolean, ctx: OperationContext): unknown {
  const own = Array.isArray(stored) ? (stored as unknown[]) : undefined
  const effective =
    own ?? (Array.isArray(ctx.documentSecurity) ? (ctx.documentSecurity as unknown[]) : [])
  const hasKey = effective.some((req) => isApiKeyRequirement(req, ctx.schemes))
  if (apiKeyRequired === hasKey) return stored
  if (apiKeyRequired) {
    ctx.needsApiKeyScheme = true
    if (effective.length === 0) return [{ api_key: [] }]
    return effective.map((req) => (isRecord(req) ? { ...req, api_key: [] } : req))
  }
  return effective
    .map((req) =>
      isRecord(req)
        ? Object.fromEntries(
            Object.entries(req).filter(
              ([name]) => schemeKind(name, ctx.schemes[name]) !== 'API_KEY'
            )
          )
        : req
    )
    .filter((req) => !isRecord(req) || Object.keys(req).length > 0)
}
