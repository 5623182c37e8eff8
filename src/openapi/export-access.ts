/**
 * Config → OpenAPI for what import-authorizers/import-models/import-access read: security
 * schemes with `x-amazon-apigateway-authorizer`, `components.schemas` for models, request
 * validators, CORS and the resource policy, and per operation its validator, body model `$ref`s
 * and authorizer requirement. Importing the output gives the same config back.
 */
import type { ApiConfig, AuthorizerConfig, ModelConfig, RouteConfig } from '../config/types'
import { exportAuthorizerUri } from './authorizer-uri'
import { exportIamPolicy } from './iam-policy'
import { AUTHORIZER_EXTENSION } from './import-authorizers'
import {
  CORS_EXTENSION,
  POLICY_EXTENSION,
  VALIDATOR_EXTENSION,
  VALIDATORS_EXTENSION,
} from './import-access'
import { toRestIdentitySource } from './identity-source'
import type { JsonObject } from './json'
import { cloneJson, isRecord } from './json'

const TOKEN_HEADER = /^\$request\.header\.(.+)$/

function authorizerExtension(a: AuthorizerConfig, rest: boolean): JsonObject {
  const ext: JsonObject = { type: a.authorizerType.toLowerCase() }
  const sources = a.identitySource ?? []
  const tokenHeader = a.authorizerType === 'TOKEN' && sources.length === 1
  // A TOKEN authorizer's header is the scheme's `name` (AWS); other sources are listed.
  if (sources.length > 0 && !(tokenHeader && TOKEN_HEADER.test(sources[0] ?? ''))) {
    ext.identitySource = sources.map((s) => (rest ? toRestIdentitySource(s) : s)).join(', ')
  }
  if (a.authorizerUri !== undefined) ext.authorizerUri = exportAuthorizerUri(a.authorizerUri)
  if (a.jwtConfiguration !== undefined) ext.jwtConfiguration = cloneJson(a.jwtConfiguration)
  if (a.authorizerResultTtlInSeconds !== undefined)
    ext.authorizerResultTtlInSeconds = a.authorizerResultTtlInSeconds
  if (a.authorizerPayloadFormatVersion !== undefined)
    ext.authorizerPayloadFormatVersion = a.authorizerPayloadFormatVersion
  if (a.enableSimpleResponses !== undefined) ext.enableSimpleResponses = a.enableSimpleResponses
  if (a.identityValidationExpression !== undefined)
    ext.identityValidationExpression = a.identityValidationExpression
  if (a.authorizerTimeoutInMillis !== undefined)
    ext['x-portico-authorizer-timeout-in-millis'] = a.authorizerTimeoutInMillis
  return ext
}

/** One security scheme per authorizer, keyed by the authorizer's name (AWS's export shape). */
export function authorizerSchemes(api: ApiConfig): JsonObject {
  const rest = api.protocolType === 'REST'
  const out: JsonObject = {}
  for (const a of api.authorizers ?? []) {
    const extension = authorizerExtension(a, rest)
    if (a.authorizerType === 'JWT') {
      out[a.name] = { type: 'oauth2', flows: {}, [AUTHORIZER_EXTENSION]: extension }
      continue
    }
    const header = TOKEN_HEADER.exec(a.identitySource?.[0] ?? '')?.[1] ?? 'Unused'
    out[a.name] = {
      type: 'apiKey',
      name: header,
      in: 'header',
      ...(rest ? { 'x-amazon-apigateway-authtype': 'custom' } : {}),
      [AUTHORIZER_EXTENSION]: extension,
    }
  }
  return out
}

/** A model's schema with the other models it embeds turned back into component `$ref`s. */
function modelSchema(model: ModelConfig, byName: Map<string, ModelConfig>): JsonObject {
  const schema = cloneJson(model.schema)
  const definitions = isRecord(schema.definitions) ? schema.definitions : undefined
  if (definitions === undefined) return schema
  const restored = new Set<string>()
  for (const [name, embedded] of Object.entries(definitions)) {
    const other = byName.get(name)
    if (other === undefined) continue
    const plain = omitKeys(other.schema, new Set(['definitions']))
    if (JSON.stringify(plain) === JSON.stringify(embedded)) restored.add(name)
  }
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite)
    if (!isRecord(value)) return value
    const out: JsonObject = {}
    for (const [k, v] of Object.entries(value)) {
      const target = typeof v === 'string' ? /^#\/definitions\/(.+)$/.exec(v)?.[1] : undefined
      if (k === '$ref' && target !== undefined && restored.has(target))
        out[k] = `#/components/schemas/${target}`
      else out[k] = rewrite(v)
    }
    return out
  }
  const out = rewrite(schema) as JsonObject
  const left = omitKeys(definitions, restored)
  if (Object.keys(left).length > 0) out.definitions = rewrite(left)
  else delete out.definitions
  return out
}

function omitKeys(obj: JsonObject, keys: ReadonlySet<string>): JsonObject {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.has(k)))
}

/** `components.schemas` entries for the API's models. */
export function modelSchemas(api: ApiConfig): JsonObject {
  const byName = new Map((api.models ?? []).map((m) => [m.name, m]))
  return Object.fromEntries((api.models ?? []).map((m) => [m.name, modelSchema(m, byName)]))
}

/** Document-level validators, CORS and resource policy extensions. */
export function accessExtensions(api: ApiConfig): JsonObject {
  const out: JsonObject = {}
  if (api.requestValidators !== undefined && api.requestValidators.length > 0) {
    out[VALIDATORS_EXTENSION] = Object.fromEntries(
      api.requestValidators.map((v) => [v.name, omitKeys({ ...v }, new Set(['id', 'name']))])
    )
  }
  if (api.corsConfiguration !== undefined) out[CORS_EXTENSION] = cloneJson(api.corsConfiguration)
  if (api.resourcePolicy !== undefined) out[POLICY_EXTENSION] = exportIamPolicy(api.resourcePolicy)
  return out
}

/** The route's validator and body models on its operation (`op` is modified). */
export function exportRouteValidation(api: ApiConfig, route: RouteConfig, op: JsonObject): void {
  const validator = api.requestValidators?.find((v) => v.id === route.requestValidatorId)
  if (validator !== undefined) op[VALIDATOR_EXTENSION] = validator.name
  if (route.requestModels === undefined) return
  const body: JsonObject = isRecord(op.requestBody) ? op.requestBody : {}
  const content: JsonObject = isRecord(body.content) ? body.content : {}
  for (const [contentType, model] of Object.entries(route.requestModels)) {
    const media: JsonObject = isRecord(content[contentType]) ? content[contentType] : {}
    content[contentType] = { ...media, schema: { $ref: `#/components/schemas/${model}` } }
  }
  op.requestBody = { ...body, content }
}

/**
 * `security` with the route's authorizer as its requirement: `effective` (the operation's or
 * the document's) is kept when it already says so; otherwise requirements naming authorizers
 * are replaced by the route's. Returns undefined when nothing changes.
 */
export function authorizerSecurity(
  api: ApiConfig,
  route: RouteConfig,
  effective: unknown[]
): unknown[] | undefined {
  const names = new Set((api.authorizers ?? []).map((a) => a.name))
  if (names.size === 0) return undefined
  const authorizer = api.authorizers?.find((a) => a.id === route.authorizerId)
  const scopes = route.authorizationScopes ?? []
  const named = effective.flatMap((req) =>
    isRecord(req) ? Object.entries(req).filter(([n]) => names.has(n)) : []
  )
  // Alternatives (`[{auth: []}, {api_key: []}]`) stay as they are when they name this authorizer.
  const matches =
    authorizer === undefined
      ? named.length === 0
      : named.length > 0 &&
        named.every(
          ([n, s]) => n === authorizer.name && JSON.stringify(s) === JSON.stringify(scopes)
        )
  if (matches) return undefined
  const others = effective
    .map((req) => (isRecord(req) ? omitKeys(req, names) : req))
    .filter((req) => !isRecord(req) || Object.keys(req).length > 0)
  if (authorizer === undefined) return others
  const wanted = { [authorizer.name]: [...scopes] }
  if (others.length === 0) return [wanted]
  return others.map((req) => (isRecord(req) ? { ...req, ...wanted } : req))
}
