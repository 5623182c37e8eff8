/**
 * ApiConfig → OpenAPI 3.0.1 with API Gateway extensions, as AWS's `oas30` / `OAS30` export:
 * `servers` with the stage URL and a `basePath` variable, paths and operations, and the
 * document-level extensions. Without `extensions` (AWS `extensions`/`includeExtensions`), every
 * `x-amazon-apigateway-*` and `x-portico-*` key is left out. Importing the result gives back an
 * equal ApiConfig (modulo generated ids); docs/openapi.md states the guarantees.
 */
import type { ApiConfig, RouteConfig } from '../config/types'
import { accessExtensions, authorizerSchemes, modelSchemas } from './export-access'
import { exportOperation } from './export-operation'
import type { OperationContext } from './export-operation'
import { isGatewayExtension } from './extensions'
import type { JsonObject } from './json'
import { cloneJson, isRecord } from './json'
import type { ExportOptions } from './types'

export type { ExportOptions, OpenApiExtras } from './types'

export function exportOpenApi(api: ApiConfig, options: ExportOptions): Record<string, unknown> {
  const extras = cloneJson(options.extras ?? {})
  const {
    info: extraInfo,
    components: extraComponents,
    tags: extraTags,
    security: documentSecurity,
    'x-amazon-apigateway-gateway-responses': extraResponses,
    'x-amazon-apigateway-endpoint-configuration': extraEndpoint,
    ...rest
  } = extras
  const components: JsonObject = isRecord(extraComponents) ? extraComponents : {}
  const schemes: JsonObject = {
    ...(isRecord(components.securitySchemes) ? components.securitySchemes : {}),
    ...authorizerSchemes(api),
  }
  if (Object.keys(schemes).length > 0) components.securitySchemes = schemes
  const schemas = {
    ...(isRecord(components.schemas) ? components.schemas : {}),
    ...modelSchemas(api),
  }
  if (Object.keys(schemas).length > 0) components.schemas = schemas
  const ctx: OperationContext = {
    api,
    schemes,
    documentSecurity,
    extensions: options.extensions,
    needsApiKeyScheme: false,
  }

  const doc: JsonObject = { openapi: '3.0.1', info: info(api, extraInfo) }
  const servers = stageServers(options.stage)
  if (servers !== undefined) doc.servers = servers
  doc.paths = paths(api.routes, ctx)
  if (ctx.needsApiKeyScheme && schemes.api_key === undefined) {
    // AWS exports API keys as this scheme (header x-api-key).
    components.securitySchemes = {
      ...schemes,
      api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
    }
  }
  if (Object.keys(components).length > 0) doc.components = components
  if (documentSecurity !== undefined) doc.security = documentSecurity
  const tags = exportTags(api.tags, extraTags)
  if (tags.length > 0) doc.tags = tags
  Object.assign(doc, rest)
  Object.assign(doc, documentExtensions(api, extraResponses, extraEndpoint))
  Object.assign(doc, accessExtensions(api))
  return options.extensions ? doc : stripExtensions(doc)
}

function info(api: ApiConfig, extra: unknown): JsonObject {
  const out: JsonObject = isRecord(extra) ? { ...extra } : {}
  out.title = api.name
  if (api.description !== undefined) out.description = api.description
  if (api.version !== undefined) out.version = api.version
  return out
}

function stageServers(stage: ExportOptions['stage']): JsonObject[] | undefined {
  if (stage === undefined) return undefined
  let origin = ''
  try {
    if (stage.invokeUrl !== undefined) origin = new URL(stage.invokeUrl).origin
  } catch {
    origin = ''
  }
  // AWS: `{basePath}` is a server variable whose default is the stage ('' for $default).
  const basePath = stage.stageName === '$default' ? '' : stage.stageName
  return [{ url: `${origin}/{basePath}`, variables: { basePath: { default: basePath } } }]
}

function paths(routes: RouteConfig[], ctx: OperationContext): JsonObject {
  const out: Record<string, JsonObject> = {}
  for (const route of routes) {
    const [method = '', path = ''] =
      route.routeKey === '$default' ? ['ANY', '/$default'] : route.routeKey.split(/ (.*)/s)
    const key = method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase()
    const item = (out[path] ??= {})
    item[key] = exportOperation(route, ctx)
  }
  return out
}

function exportTags(tags: Record<string, string> | undefined, extra: unknown): unknown[] {
  const plain = Array.isArray(extra) ? (extra as unknown[]) : []
  const valued = Object.entries(tags ?? {}).map(([name, value]) => ({
    name,
    'x-amazon-apigateway-tag-value': value,
  }))
  return [...plain, ...valued]
}

function documentExtensions(
  api: ApiConfig,
  extraResponses: unknown,
  extraEndpoint: unknown
): JsonObject {
  const out: JsonObject = {}
  const responses: JsonObject = isRecord(extraResponses) ? extraResponses : {}
  for (const [type, config] of Object.entries(api.gatewayResponses ?? {})) {
    const kept = isRecord(responses[type]) ? responses[type] : {}
    const keptParams = isRecord(kept.responseParameters) ? kept.responseParameters : {}
    const entry: JsonObject = {}
    if (config.statusCode !== undefined) entry.statusCode = String(config.statusCode)
    const params: JsonObject = { ...keptParams }
    for (const [header, value] of Object.entries(config.responseParameters ?? {})) {
      params[`gatewayresponse.header.${header}`] = `'${value}'`
    }
    if (Object.keys(params).length > 0) entry.responseParameters = params
    if (config.responseTemplates !== undefined)
      entry.responseTemplates = { ...config.responseTemplates }
    responses[type] = entry
  }
  if (Object.keys(responses).length > 0) out['x-amazon-apigateway-gateway-responses'] = responses
  if (api.apiKeySource !== undefined) out['x-amazon-apigateway-api-key-source'] = api.apiKeySource
  if (api.binaryMediaTypes !== undefined)
    out['x-amazon-apigateway-binary-media-types'] = [...api.binaryMediaTypes]
  const endpoint: JsonObject = isRecord(extraEndpoint) ? { ...extraEndpoint } : {}
  if (api.disableExecuteApiEndpoint !== undefined)
    endpoint.disableExecuteApiEndpoint = api.disableExecuteApiEndpoint
  if (Object.keys(endpoint).length > 0) out['x-amazon-apigateway-endpoint-configuration'] = endpoint
  if (api.allowLoopbackUpstreams !== undefined)
    out['x-portico-allow-loopback-upstreams'] = api.allowLoopbackUpstreams
  // AWS adds this marker to HTTP API exports.
  if (api.protocolType === 'HTTP') out['x-amazon-apigateway-importexport-version'] = '1.0'
  return out
}

/** Plain OpenAPI: every API Gateway / Portico extension key removed, at any depth. */
function stripExtensions(value: unknown): JsonObject {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip)
    if (!isRecord(v)) return v
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !isGatewayExtension(k))
        .map(([k, x]) => [k, strip(x)])
    )
  }
  const out = strip(value)
  if (!isRecord(out)) return {}
  // A path whose only operation was x-amazon-apigateway-any-method is left empty: drop it.
  if (isRecord(out.paths)) {
    out.paths = Object.fromEntries(
      Object.entries(out.paths).filter(([, item]) => isRecord(item) && Object.keys(item).length > 0)
    )
  }
  return out
}
