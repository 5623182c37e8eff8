/**
 * Which URLs an authorizer may fetch keys from: the JWKS URI, or the OIDC discovery document
 * `{issuer}/.well-known/openid-configuration` and the `jwks_uri` it names. All go through the
 * upstream SSRF guard; plain http only to loopback, and only with `allowLoopbackUpstreams`
 * (local development), since keys fetched in clear text could be swapped on the way.
 */
import { checkUpstreamUrl } from '../../../config/upstream-url'
import { err, ok, type Result } from '../../../result'

const LOOPBACK_HOST = /^(127(\.\d{1,3}){3}|\[::1\]|localhost|.+\.localhost)$/i

/** Checks a key-fetching URL: SSRF guard, https unless loopback http is allowed. */
export function checkJwksUrl(url: string, allowLoopback: boolean): Result<URL, string> {
  const checked = checkUpstreamUrl(url, { allowLoopback })
  if (!checked.ok) return checked
  const parsed = checked.value
  if (parsed.protocol === 'http:' && !LOOPBACK_HOST.test(parsed.hostname)) {
    return err('must use https (plain http only to loopback with allowLoopbackUpstreams)')
  }
  return ok(parsed)
}

/** OIDC Discovery 1.0 §4: the issuer with `/.well-known/openid-configuration` appended. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
}

const STAGE_VARIABLE = /\$\{stageVariables\.([A-Za-z0-9_]{1,64})\}/g

/** Whether a JWKS URI names stage variables (checked per stage, after substitution). */
export function hasStageVariables(url: string): boolean {
  return url.includes('${')
}

/** Substitutes `${stageVariables.name}`; undefined when a named variable is not set. */
export function substituteStageVariables(
  url: string,
  variables: Readonly<Record<string, string>>
): string | undefined {
  for (const [, name] of url.matchAll(STAGE_VARIABLE)) {
    if (name === undefined || !Object.hasOwn(variables, name)) return undefined
  }
  const out = url.replace(STAGE_VARIABLE, (_m, name: string) => variables[name] ?? '')
  return out.includes('${') ? undefined : out
}
