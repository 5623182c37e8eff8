/**
 * `components.securitySchemes` (Swagger 2 `securityDefinitions`) with
 * `x-amazon-apigateway-authorizer` → `ApiConfig.authorizers`. Types `token`, `request` and `jwt`;
 * identity sources in REST (`method.request.header.X`, comma-separated) and HTTP API
 * (`$request.header.X`) spelling are stored in the latter. A Lambda `authorizerUri` becomes a
 * Worker binding (authorizer-uri.ts). The authorizer's name is the scheme's name; its id is
 * derived from it (stable, so routes keep pointing at it across re-imports).
 */
import type { AuthorizerConfig, JwtConfiguration } from '../config/types'
import { storedAuthorizerUri } from './authorizer-uri'
import type { Diagnostics } from './diagnostics'
import { splitRestIdentitySource, toStoredIdentitySource } from './identity-source'
import type { JsonObject } from './json'
import { child, isRecord, isStringArray } from './json'
import { stableId } from './stable-id'

export const AUTHORIZER_EXTENSION = 'x-amazon-apigateway-authorizer'
const TYPES: Record<string, AuthorizerConfig['authorizerType']> = {
  token: 'TOKEN',
  request: 'REQUEST',
  jwt: 'JWT',
}
const OIDC_SUFFIX = '/.well-known/openid-configuration'
/** Fields of the extension Portico reads; `authorizerCredentials` (an IAM role) has no use. */
const KNOWN = new Set([
  'type',
  'identitySource',
  'authorizerUri',
  'authorizerCredentials',
  'authorizerResultTtlInSeconds',
  'authorizerPayloadFormatVersion',
  'enableSimpleResponses',
  'identityValidationExpression',
  'jwtConfiguration',
  'x-portico-authorizer-timeout-in-millis',
])

export interface ImportedAuthorizers {
  authorizers: AuthorizerConfig[]
  /** Security scheme name → authorizer id. */
  idByScheme: Map<string, string>
}

function identitySources(
  raw: unknown,
  scheme: JsonObject,
  type: AuthorizerConfig['authorizerType'],
  at: string,
  d: Diagnostics
): string[] | undefined {
  if (typeof raw === 'string') return splitRestIdentitySource(raw)
  if (isStringArray(raw)) return raw.map(toStoredIdentitySource)
  if (raw !== undefined) {
    d.error(child(at, 'identitySource'), 'identitySource must be a string or an array of strings')
    return undefined
  }
  // AWS: a TOKEN authorizer reads the header its apiKey scheme names.
  if (type === 'TOKEN' && scheme.in === 'header' && typeof scheme.name === 'string') {
    return [`$request.header.${scheme.name}`]
  }
  return undefined
}

function jwtConfiguration(
  raw: unknown,
  scheme: JsonObject,
  at: string,
  d: Diagnostics
): JwtConfiguration | undefined {
  if (!isRecord(raw)) {
    d.error(child(at, 'jwtConfiguration'), 'A jwt authorizer needs a jwtConfiguration object')
    return undefined
  }
  const url = scheme.openIdConnectUrl
  // AWS: with an openIdConnect scheme the issuer may be left out and found from its URL.
  const issuer =
    raw.issuer ??
    (typeof url === 'string' && url.endsWith(OIDC_SUFFIX)
      ? url.slice(0, -OIDC_SUFFIX.length)
      : undefined)
  const { audience } = raw
  if (typeof issuer !== 'string' || !isStringArray(audience)) {
    d.error(
      child(at, 'jwtConfiguration'),
      'jwtConfiguration needs an issuer (or an openIdConnectUrl on the scheme) and an audience array'
    )
    return undefined
  }
  const config: JwtConfiguration = { issuer, audience }
  const { jwksUri, algorithms, clockLeewaySeconds } = raw
  if (typeof jwksUri === 'string') config.jwksUri = jwksUri
  if (isStringArray(algorithms)) config.algorithms = algorithms
  if (typeof clockLeewaySeconds === 'number') config.clockLeewaySeconds = clockLeewaySeconds
  return config
}

function importOne(
  name: string,
  scheme: JsonObject,
  raw: JsonObject,
  id: string,
  at: string,
  d: Diagnostics
): AuthorizerConfig | undefined {
  const rawType = typeof raw.type === 'string' ? raw.type.toLowerCase() : undefined
  const type = rawType === undefined ? undefined : TYPES[rawType]
  if (type === undefined) {
    // Cognito user pools stay unsupported (warned, routes fail closed); anything else is wrong.
    if (rawType !== 'cognito_user_pools')
      d.error(child(at, 'type'), 'type must be token, request, jwt or cognito_user_pools')
    return undefined
  }
  const authorizer: AuthorizerConfig = { id, name, authorizerType: type }
  const sources = identitySources(raw.identitySource, scheme, type, at, d)
  if (sources !== undefined) authorizer.identitySource = sources
  if (type === 'JWT') {
    const jwt = jwtConfiguration(raw.jwtConfiguration, scheme, at, d)
    if (jwt !== undefined) authorizer.jwtConfiguration = jwt
  } else if (typeof raw.authorizerUri === 'string') {
    const uri = storedAuthorizerUri(raw.authorizerUri)
    if (uri.ok) authorizer.authorizerUri = uri.value
    else d.error(child(at, 'authorizerUri'), uri.error)
  } else
    d.error(child(at, 'authorizerUri'), `A ${raw.type as string} authorizer needs an authorizerUri`)
  const ttl = raw.authorizerResultTtlInSeconds
  if (typeof ttl === 'number') authorizer.authorizerResultTtlInSeconds = ttl
  const format = raw.authorizerPayloadFormatVersion
  if (format === '1.0' || format === '2.0') authorizer.authorizerPayloadFormatVersion = format
  else if (format !== undefined)
    d.error(child(at, 'authorizerPayloadFormatVersion'), 'Must be "1.0" or "2.0"')
  if (typeof raw.enableSimpleResponses === 'boolean')
    authorizer.enableSimpleResponses = raw.enableSimpleResponses
  if (typeof raw.identityValidationExpression === 'string')
    authorizer.identityValidationExpression = raw.identityValidationExpression
  const timeout = raw['x-portico-authorizer-timeout-in-millis']
  if (typeof timeout === 'number') authorizer.authorizerTimeoutInMillis = timeout
  for (const key of Object.keys(raw)) {
    if (!KNOWN.has(key)) d.warn(child(at, key), `Unknown authorizer field ${key} is ignored`)
  }
  return authorizer
}

/**
 * Reads every scheme with an authorizer of a supported type. `base` is the pointer of the
 * schemes container as written in the document. Cognito user pool authorizers are left alone
 * (not supported: routes using them fail closed, import-security.ts).
 */
export function importAuthorizers(
  schemes: JsonObject,
  base: string,
  d: Diagnostics
): ImportedAuthorizers {
  const authorizers: AuthorizerConfig[] = []
  const idByScheme = new Map<string, string>()
  const taken = new Set<string>()
  for (const [name, scheme] of Object.entries(schemes)) {
    const raw = isRecord(scheme) ? scheme[AUTHORIZER_EXTENSION] : undefined
    if (!isRecord(scheme) || !isRecord(raw)) continue
    const id = stableId(name, taken)
    const authorizer = importOne(name, scheme, raw, id, child(base, name, AUTHORIZER_EXTENSION), d)
    if (authorizer === undefined) continue
    taken.add(id)
    idByScheme.set(name, id)
    authorizers.push(authorizer)
  }
  return { authorizers, idByScheme }
}
