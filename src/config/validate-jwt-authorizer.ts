/**
 * Write-time checks of a JWT authorizer: it is compiled exactly as the edge compiles it
 * (policies/authorization/jwt/jwt-settings.ts), so a document the admin API accepts is one the
 * edge can serve. Issuer an http(s) URL, audience non-empty, algorithms a distinct subset of the
 * asymmetric ones, leeway 0–60 s, exactly one header or query identity source, and the JWKS URI
 * (or the issuer's discovery URL) through the SSRF guard — https, loopback http only with
 * `allowLoopbackUpstreams`. A JWKS URI with stage variables is checked per stage after
 * substitution, before any fetch.
 */
import { compileJwtAuthorizer } from '../policies/authorization/jwt/jwt-settings'
import type { ApiConfig, AuthorizerConfig } from './types'
import type { ConfigIssue } from './validate-issues'

/** Issues of a JWT authorizer at JSON Pointer `at` (e.g. `/authorizers/0`); none for others. */
export function checkJwtAuthorizer(
  authorizer: AuthorizerConfig,
  at: string,
  api: ApiConfig
): ConfigIssue[] {
  if (authorizer.authorizerType !== 'JWT') return []
  const compiled = compileJwtAuthorizer(authorizer, api)
  if (compiled.ok) return []
  return compiled.error.map((problem) => ({
    path: `${at}/${problem.field}`,
    message: problem.message,
  }))
}
