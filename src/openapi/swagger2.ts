/**
 * Swagger 2.0 → OpenAPI 3.0 for the parts Portico keeps verbatim (operations, models, security
 * schemes), so that stored operations are always in 3.0 shape and `exportOpenApi` (OpenAPI
 * 3.0.1, as AWS's `oas30` export) gives back a valid document. Follows the OpenAPI 3.0
 * "Migrating from 2.0" rules: body/formData → requestBody, `type` → `schema`, `produces` →
 * response `content`, `definitions` → `components.schemas`.
 */
import type { JsonObject } from './json'
import { isRecord, isStringArray, omit } from './json'

const REF_PREFIXES: [string, string][] = [
  ['#/definitions/', '#/components/schemas/'],
  ['#/parameters/', '#/components/parameters/'],
  ['#/responses/', '#/components/responses/'],
]
const SCHEMA_KEYS = new Set([
  'type',
  'format',
  'items',
  'enum',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
])

/** Rewrites Swagger 2 local `$ref`s to their OpenAPI 3 homes, everywhere in `value`. */
export function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs)
  if (!isRecord(value)) return value
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(value)) {
    if (k === '$ref' && typeof v === 'string') {
      const rule = REF_PREFIXES.find(([from]) => v.startsWith(from))
      out[k] = rule === undefined ? v : rule[1] + v.slice(rule[0].length)
    } else out[k] = rewriteRefs(v)
  }
  return out
}

/** A non-body parameter: schema keywords move under `schema`. */
function convertParameter(param: JsonObject): JsonObject {
  const out: JsonObject = {}
  const schema: JsonObject = {}
  for (const [k, v] of Object.entries(param)) {
    if (SCHEMA_KEYS.has(k)) schema[k] = rewriteRefs(v)
    else if (k !== 'collectionFormat' && k !== 'allowEmptyValue') out[k] = rewriteRefs(v)
  }
  if (Object.keys(schema).length > 0 && out.schema === undefined) out.schema = schema
  return out
}

function convertHeaders(headers: unknown): unknown {
  if (!isRecord(headers)) return headers
  const out: JsonObject = {}
  for (const [name, h] of Object.entries(headers)) {
    out[name] = isRecord(h) ? convertParameter(h) : h
  }
  return out
}

function convertResponse(response: unknown, produces: string[]): unknown {
  if (!isRecord(response)) return response
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(response)) {
    if (k === 'schema') {
      out.content = Object.fromEntries(produces.map((ct) => [ct, { schema: rewriteRefs(v) }]))
    } else if (k === 'headers') out.headers = convertHeaders(v)
    else if (k !== 'examples') out[k] = rewriteRefs(v)
  }
  return out
}

/** One operation, its parameters already resolved and merged with the path item's. */
export function convertOperation(
  op: JsonObject,
  parameters: JsonObject[] | undefined,
  doc: JsonObject
): JsonObject {
  const consumes = mediaTypes(op.consumes, doc.consumes)
  const produces = mediaTypes(op.produces, doc.produces)
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(op)) {
    if (k === 'consumes' || k === 'produces' || k === 'schemes' || k === 'parameters') continue
    if (k === 'responses' && isRecord(v)) {
      out.responses = Object.fromEntries(
        Object.entries(v).map(([code, r]) => [code, convertResponse(r, produces)])
      )
    } else out[k] = rewriteRefs(v)
  }
  if (parameters === undefined) return out
  const plain: JsonObject[] = []
  const form: JsonObject[] = []
  for (const p of parameters) {
    if (p.in === 'body') {
      out.requestBody = {
        ...(typeof p.description === 'string' ? { description: p.description } : {}),
        ...(p.required === true ? { required: true } : {}),
        content: Object.fromEntries(consumes.map((ct) => [ct, { schema: rewriteRefs(p.schema) }])),
      }
    } else if (p.in === 'formData') form.push(p)
    else plain.push(convertParameter(p))
  }
  if (form.length > 0) out.requestBody = formBody(form, consumes)
  if (plain.length > 0) out.parameters = plain
  return out
}

function formBody(form: JsonObject[], consumes: string[]): JsonObject {
  const properties: JsonObject = {}
  const required: string[] = []
  for (const p of form) {
    const converted = convertParameter(p)
    if (typeof p.name === 'string') {
      properties[p.name] = converted.schema ?? {}
      if (p.required === true) required.push(p.name)
    }
  }
  const ct = consumes.find((c) => c.startsWith('multipart/')) ?? 'application/x-www-form-urlencoded'
  const schema = { type: 'object', properties, ...(required.length > 0 ? { required } : {}) }
  return { content: { [ct]: { schema } } }
}

function mediaTypes(own: unknown, global: unknown): string[] {
  if (isStringArray(own) && own.length > 0) return own
  if (isStringArray(global) && global.length > 0) return global
  return ['application/json']
}

const OAUTH_FLOWS: Record<string, string> = {
  implicit: 'implicit',
  password: 'password',
  application: 'clientCredentials',
  accessCode: 'authorizationCode',
}

/** `securityDefinitions` entry → `components.securitySchemes` entry. */
function convertSecurityScheme(scheme: unknown): unknown {
  if (!isRecord(scheme)) return scheme
  if (scheme.type === 'basic') {
    return { ...omit(scheme, ['type']), type: 'http', scheme: 'basic' }
  }
  if (scheme.type === 'oauth2' && typeof scheme.flow === 'string') {
    const { flow, authorizationUrl, tokenUrl, scopes, ...rest } = scheme
    const flowName = OAUTH_FLOWS[flow] ?? flow
    const body: JsonObject = { scopes: scopes ?? {} }
    if (authorizationUrl !== undefined) body.authorizationUrl = authorizationUrl
    if (tokenUrl !== undefined) body.tokenUrl = tokenUrl
    return { ...rest, flows: { [flowName]: body } }
  }
  return scheme
}

/** Top-level Swagger 2 containers → `components`. Returns the `components` object. */
export function convertComponents(doc: JsonObject): JsonObject {
  const components: JsonObject = {}
  if (isRecord(doc.definitions)) components.schemas = rewriteRefs(doc.definitions)
  if (isRecord(doc.securityDefinitions)) {
    components.securitySchemes = Object.fromEntries(
      Object.entries(doc.securityDefinitions).map(([k, v]) => [k, convertSecurityScheme(v)])
    )
  }
  if (isRecord(doc.parameters)) {
    components.parameters = Object.fromEntries(
      Object.entries(doc.parameters).map(([k, v]) => [k, isRecord(v) ? convertParameter(v) : v])
    )
  }
  if (isRecord(doc.responses)) {
    const produces = mediaTypes(undefined, doc.produces)
    components.responses = Object.fromEntries(
      Object.entries(doc.responses).map(([k, v]) => [k, convertResponse(v, produces)])
    )
  }
  return components
}
