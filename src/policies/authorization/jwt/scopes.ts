/**
 * Route scopes (AWS `authorizationScopes`): the token must carry at least one of them, in
 * `scope` (space-separated string, RFC 8693 §4.2) or `scp` (string or array, as Okta and Azure
 * AD issue it). A route without scopes needs none.
 */
import type { Claims } from './claims'

function granted(claims: Claims): Set<string> {
  const out = new Set<string>()
  for (const name of ['scope', 'scp'] as const) {
    const value = claims[name]
    if (typeof value === 'string') {
      for (const scope of value.split(' ')) if (scope !== '') out.add(scope)
    } else if (name === 'scp' && Array.isArray(value)) {
      for (const scope of value) if (typeof scope === 'string') out.add(scope)
    }
  }
  return out
}

/** Whether `claims` grant one of `required` (always true when nothing is required). */
export function hasRequiredScope(claims: Claims, required: readonly string[]): boolean {
  if (required.length === 0) return true
  const scopes = granted(claims)
  return required.some((scope) => scopes.has(scope))
}
