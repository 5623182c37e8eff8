/**
 * Document-level fields → ApiConfig: `info`, tags with `x-amazon-apigateway-tag-value`, gateway
 * responses, API key source, binary media types, `disableExecuteApiEndpoint` and Portico's own
 * `x-portico-*`. Everything else at the top level becomes `extras` (in OpenAPI 3.0 shape).
 */
import type { ApiConfig, GatewayResponseConfig } from '../config/types'
import type { GatewayErrorType } from '../errors/gateway-error'
import { isGatewayResponseType } from '../errors/gateway-error'
import type { Diagnostics } from './diagnostics'
import type { JsonObject } from './json'
import { child, isRecord, isStringArray, isStringMap, pointer } from './json'
import { convertComponents } from './swagger2'
import type { OpenApiExtras } from './types'

export type DocumentFields = Pick<
  ApiConfig,
  | 'name'
  | 'description'
  | 'version'
  | 'apiKeySource'
  | 'disableExecuteApiEndpoint'
  | 'allowLoopbackUpstreams'
  | 'binaryMediaTypes'
  | 'tags'
  | 'gatewayResponses'
>

/** Top-level keys consumed here or by the path/route passes (never copied to extras). */
const CONSUMED = new Set([
  'swagger',
  'openapi',
  'info',
  'paths',
  'servers',
  'host',
  'basePath',
  'schemes',
  'consumes',
  'produces',
  'definitions',
  'securityDefinitions',
  'parameters',
  'responses',
  'tags',
  'x-amazon-apigateway-gateway-responses',
  'x-amazon-apigateway-api-key-source',
  'x-amazon-apigateway-binary-media-types',
  'x-amazon-apigateway-importexport-version',
  'x-amazon-apigateway-endpoint-configuration',
  'x-portico-allow-loopback-upstreams',
])

export function importDocument(
  doc: JsonObject,
  version: 2 | 3,
  d: Diagnostics
): { fields: DocumentFields; extras: OpenApiExtras } {
  const extras: OpenApiExtras = {}
  const info = isRecord(doc.info) ? doc.info : {}
  if (!isRecord(doc.info)) d.error('/info', 'info must be an object with a title')
  const name = typeof info.title === 'string' ? info.title.trim() : ''
  if (isRecord(doc.info) && name === '')
    d.error('/info/title', 'info.title is required (it names the API)')
  const fields: DocumentFields = { name }
  if (typeof info.description === 'string') fields.description = info.description
  // YAML reads `version: 1.0` as a number; AWS keeps the text.
  if (typeof info.version === 'string' || typeof info.version === 'number')
    fields.version = String(info.version)
  const restInfo = Object.fromEntries(
    Object.entries(info).filter(([k]) => !['title', 'description', 'version'].includes(k))
  )
  if (Object.keys(restInfo).length > 0) extras.info = restInfo

  tags(doc.tags, fields, extras, d)
  const responses = doc['x-amazon-apigateway-gateway-responses']
  if (responses !== undefined) gatewayResponses(responses, fields, extras, d)
  const source = doc['x-amazon-apigateway-api-key-source']
  if (source === 'HEADER' || source === 'AUTHORIZER') fields.apiKeySource = source
  else if (source !== undefined)
    d.error(pointer('x-amazon-apigateway-api-key-source'), 'Must be HEADER or AUTHORIZER')
  const binary = doc['x-amazon-apigateway-binary-media-types']
  if (isStringArray(binary)) fields.binaryMediaTypes = binary
  else if (binary !== undefined)
    d.error(pointer('x-amazon-apigateway-binary-media-types'), 'Must be an array of media types')
  const loopback = doc['x-portico-allow-loopback-upstreams']
  if (typeof loopback === 'boolean') fields.allowLoopbackUpstreams = loopback
  else if (loopback !== undefined)
    d.error(pointer('x-portico-allow-loopback-upstreams'), 'Must be true or false')
  endpointConfiguration(doc['x-amazon-apigateway-endpoint-configuration'], fields, extras, d)

  if (version === 2) {
    const components = convertComponents(doc)
    if (Object.keys(components).length > 0) extras.components = components
  }
  for (const [key, value] of Object.entries(doc)) {
    if (!CONSUMED.has(key)) extras[key] = value
  }
  return { fields, extras }
}

function tags(raw: unknown, fields: DocumentFields, extras: OpenApiExtras, d: Diagnostics): void {
  if (raw === undefined) return
  if (!Array.isArray(raw)) {
    d.error('/tags', 'tags must be an array of tag objects')
    return
  }
  const plain: unknown[] = []
  const values: Record<string, string> = {}
  raw.forEach((tag: unknown, i) => {
    const value = isRecord(tag) ? tag['x-amazon-apigateway-tag-value'] : undefined
    if (isRecord(tag) && typeof tag.name === 'string' && typeof value === 'string')
      values[tag.name] = value
    else if (value !== undefined)
      d.error(
        pointer('tags', i),
        'A tag with x-amazon-apigateway-tag-value needs a string name and value'
      )
    else plain.push(tag)
  })
  if (Object.keys(values).length > 0) fields.tags = values
  if (plain.length > 0) extras.tags = plain
}

function gatewayResponses(
  raw: unknown,
  fields: DocumentFields,
  extras: OpenApiExtras,
  d: Diagnostics
): void {
  const base = pointer('x-amazon-apigateway-gateway-responses')
  if (!isRecord(raw)) {
    d.error(base, 'Must be an object keyed by gateway response type')
    return
  }
  const out: Partial<Record<GatewayErrorType, GatewayResponseConfig>> = {}
  const kept: JsonObject = {}
  for (const [type, value] of Object.entries(raw)) {
    const at = child(base, type)
    if (!isGatewayResponseType(type) || !isRecord(value)) {
      d.error(
        at,
        isGatewayResponseType(type)
          ? 'A gateway response must be an object'
          : `Unknown gateway response type ${type}`
      )
      continue
    }
    const config: GatewayResponseConfig = {}
    if (value.statusCode !== undefined) {
      const status = Number(value.statusCode)
      if (!Number.isInteger(status) || status < 100 || status > 599)
        d.error(child(at, 'statusCode'), 'statusCode must be an HTTP status code (100-599)')
      else config.statusCode = status
    }
    const params = value.responseParameters
    if (params !== undefined && !isStringMap(params))
      d.error(child(at, 'responseParameters'), 'responseParameters must map strings to strings')
    const dynamic: Record<string, string> = {}
    for (const [key, v] of Object.entries(isStringMap(params) ? params : {})) {
      const header = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1]
      const literal = /^'(.*)'$/s.exec(v)?.[1]
      if (header === undefined)
        d.error(child(at, 'responseParameters', key), 'Only gatewayresponse.header.* can be mapped')
      else if (literal === undefined) {
        // AWS maps request values (method.request.header.x, stageVariables.x …) here; Portico's
        // gateway responses take static values only for now.
        dynamic[key] = v
        d.warn(
          child(at, 'responseParameters', key),
          'Gateway response headers from request values are not supported yet; kept for export'
        )
      } else (config.responseParameters ??= {})[header] = literal
    }
    if (Object.keys(dynamic).length > 0) kept[type] = { responseParameters: dynamic }
    const templates = value.responseTemplates
    if (isStringMap(templates)) config.responseTemplates = templates
    else if (templates !== undefined)
      d.error(child(at, 'responseTemplates'), 'responseTemplates must map content types to strings')
    out[type] = config
  }
  if (Object.keys(out).length > 0) fields.gatewayResponses = out
  if (Object.keys(kept).length > 0) extras['x-amazon-apigateway-gateway-responses'] = kept
}

function endpointConfiguration(
  raw: unknown,
  fields: DocumentFields,
  extras: OpenApiExtras,
  d: Diagnostics
): void {
  if (raw === undefined) return
  const base = pointer('x-amazon-apigateway-endpoint-configuration')
  if (!isRecord(raw)) {
    d.error(base, 'Must be an object')
    return
  }
  const { disableExecuteApiEndpoint, ...rest } = raw
  if (typeof disableExecuteApiEndpoint === 'boolean')
    fields.disableExecuteApiEndpoint = disableExecuteApiEndpoint
  else if (disableExecuteApiEndpoint !== undefined)
    d.error(child(base, 'disableExecuteApiEndpoint'), 'Must be true or false')
  if (Object.keys(rest).length > 0) extras['x-amazon-apigateway-endpoint-configuration'] = rest
}
