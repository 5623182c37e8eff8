/**
 * One route's JWT authorizer, compiled once per config version: the authorizer it names, its
 * identity source, pinned algorithms, claim rules, required scopes and where its keys come from.
 * Anything unusable is a reason string: the route then fails closed (500), never open.
 */
import { JWT_ALGORITHMS } from '../../../config/jwt-algorithms'
import { MAX_JWT_LEEWAY_SECONDS } from '../../../config/limits'
import type { ApiConfig, AuthorizerConfig, RouteConfig } from '../../../config/types'
import { err, ok, type Result } from '../../../result'
import { parseIdentitySource, type IdentitySource } from '../identity-source'
import type { ClaimRules } from './claims'
import { checkJwksUrl, discoveryUrl, hasStageVariables } from './jwks-url'

/** AWS: a JWT authorizer reads `$request.header.Authorization` unless told otherwise. */
export const DEFAULT_IDENTITY_SOURCE = '$request.header.Authorization'
export const DEFAULT_ALGORITHMS: readonly string[] = ['RS256']
/** Asymmetric JWS algorithms only (config/jwt-algorithms.ts). */
export const SUPPORTED_ALGORITHMS: ReadonlySet<string> = new Set(JWT_ALGORITHMS)
export const MAX_LEEWAY_SECONDS = MAX_JWT_LEEWAY_SECONDS

/** Where keys come from: a fixed URL, or a JWKS URI with stage variables resolved per stage. */
export type KeyLocation =
  | { readonly kind: 'jwks'; readonly url: URL }
  | { readonly kind: 'discovery'; readonly url: URL }
  | { readonly kind: 'templated'; readonly template: string }

export interface JwtSettings {
  readonly authorizerId: string
  readonly identitySource: IdentitySource
  readonly algorithms: readonly string[]
  readonly claims: ClaimRules
  readonly scopes: readonly string[]
  readonly keys: KeyLocation
  readonly allowLoopback: boolean
}

/** One problem with an authorizer's JWT settings; `field` is a path below the authorizer. */
export interface JwtProblem {
  readonly field: string
  readonly message: string
}

/** What a JWT authorizer compiles to, shared by every route that uses it. */
export type JwtAuthorizerSettings = Omit<JwtSettings, 'scopes'>

const PLACEHOLDER = /\$\{[^}]*\}/g
const STAGE_VARIABLE_PLACEHOLDER = /^\$\{stageVariables\.[A-Za-z0-9_]{1,64}\}$/

function keyLocation(
  issuer: string,
  jwksUri: string | undefined,
  allowLoopback: boolean
): Result<KeyLocation, JwtProblem> {
  if (jwksUri !== undefined && hasStageVariables(jwksUri)) {
    const bad = (jwksUri.match(PLACEHOLDER) ?? []).find((p) => !STAGE_VARIABLE_PLACEHOLDER.test(p))
    if (bad !== undefined || !/^https?:\/\//i.test(jwksUri)) {
      const message = 'must be an http(s) URL whose only placeholders are ${stageVariables.name}'
      return err({ field: 'jwtConfiguration/jwksUri', message })
    }
    // The substituted URL is checked per stage, before any fetch (key-source.ts).
    return ok({ kind: 'templated', template: jwksUri })
  }
  const kind = jwksUri === undefined ? 'discovery' : 'jwks'
  const checked = checkJwksUrl(jwksUri ?? discoveryUrl(issuer), allowLoopback)
  if (checked.ok) return ok({ kind, url: checked.value })
  return jwksUri === undefined
    ? err({
        field: 'jwtConfiguration/issuer',
        message: `without a jwksUri, keys are discovered at ${discoveryUrl(issuer)}, which is refused: ${checked.error}`,
      })
    : err({ field: 'jwtConfiguration/jwksUri', message: checked.error })
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false
  const { protocol } = new URL(text)
  return protocol === 'https:' || protocol === 'http:'
}

/** Compiles a JWT authorizer exactly as the edge uses it, or lists every problem. */
export function compileJwtAuthorizer(
  authorizer: AuthorizerConfig,
  api: ApiConfig
): Result<JwtAuthorizerSettings, JwtProblem[]> {
  const config = authorizer.jwtConfiguration
  if (authorizer.authorizerType !== 'JWT' || config === undefined) {
    return err([{ field: 'jwtConfiguration', message: 'is required for JWT authorizers' }])
  }
  const problems: JwtProblem[] = []
  const sources = authorizer.identitySource ?? [DEFAULT_IDENTITY_SOURCE]
  const identitySource = sources.length === 1 ? parseIdentitySource(sources[0] ?? '') : undefined
  if (identitySource === undefined || !['header', 'querystring'].includes(identitySource.kind)) {
    problems.push({
      field: 'identitySource',
      message:
        'a JWT authorizer takes exactly one identity source: $request.header.NAME or $request.querystring.NAME',
    })
  }
  if (!isHttpUrl(config.issuer)) {
    problems.push({ field: 'jwtConfiguration/issuer', message: 'must be an http(s) URL' })
  }
  if (config.audience.length === 0 || config.audience.some((a) => a.trim() === '')) {
    problems.push({
      field: 'jwtConfiguration/audience',
      message: 'needs at least one non-blank value',
    })
  }
  const algorithms = config.algorithms ?? DEFAULT_ALGORITHMS
  if (
    algorithms.length === 0 ||
    new Set(algorithms).size !== algorithms.length ||
    !algorithms.every((a) => SUPPORTED_ALGORITHMS.has(a))
  ) {
    problems.push({
      field: 'jwtConfiguration/algorithms',
      message: `must be distinct values of ${[...SUPPORTED_ALGORITHMS].join(', ')}`,
    })
  }
  const leeway = config.clockLeewaySeconds ?? 0
  if (!Number.isInteger(leeway) || leeway < 0 || leeway > MAX_LEEWAY_SECONDS) {
    problems.push({
      field: 'jwtConfiguration/clockLeewaySeconds',
      message: `must be an integer from 0 to ${String(MAX_LEEWAY_SECONDS)}`,
    })
  }
  const allowLoopback = api.allowLoopbackUpstreams === true
  const keys = keyLocation(config.issuer, config.jwksUri, allowLoopback)
  if (!keys.ok) problems.push(keys.error)
  if (problems.length > 0 || identitySource === undefined || !keys.ok) return err(problems)
  return ok({
    authorizerId: authorizer.id,
    identitySource,
    algorithms: [...algorithms],
    claims: { issuer: config.issuer, audience: new Set(config.audience), leewaySeconds: leeway },
    keys: keys.value,
    allowLoopback,
  })
}

/** Compiles the JWT authorizer `route` refers to, or says why it cannot be used. */
export function compileJwtSettings(
  api: ApiConfig,
  route: RouteConfig
): Result<JwtSettings, string> {
  const authorizer = api.authorizers?.find((a) => a.id === route.authorizerId)
  if (authorizer === undefined) return err(`unknown authorizer ${String(route.authorizerId)}`)
  const compiled = compileJwtAuthorizer(authorizer, api)
  if (!compiled.ok) {
    const problems = compiled.error.map((p) => `${p.field} ${p.message}`).join('; ')
    return err(`authorizer ${authorizer.id}: ${problems}`)
  }
  return ok({ ...compiled.value, scopes: route.authorizationScopes ?? [] })
}
