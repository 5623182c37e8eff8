/**
 * Authorizer identity sources between AWS's spellings and Portico's stored one. REST (and the
 * v1 admin API) write `method.request.header.Auth`, WebSocket APIs `route.request.header.Auth`,
 * HTTP APIs `$request.header.Auth`; config keeps the HTTP API form (AuthorizerConfig).
 */

const REST_PREFIXES = ['method.request.', 'route.request.'] as const

/** One identity source in the stored `$request.*` / `$context.*` / `$stageVariables.*` form. */
export function toStoredIdentitySource(text: string): string {
  const trimmed = text.trim()
  for (const prefix of REST_PREFIXES) {
    if (trimmed.startsWith(prefix)) return `$request.${trimmed.slice(prefix.length)}`
  }
  if (trimmed.startsWith('context.') || trimmed.startsWith('stageVariables.')) return `$${trimmed}`
  return trimmed
}

/** REST's comma-separated list (`method.request.header.A, method.request.querystring.b`). */
export function splitRestIdentitySource(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(toStoredIdentitySource)
}

/** A stored identity source in REST's spelling (`$request.header.A` → `method.request.header.A`). */
export function toRestIdentitySource(stored: string): string {
  if (stored.startsWith('$request.')) return `method.request.${stored.slice('$request.'.length)}`
  return stored.startsWith('$') ? stored.slice(1) : stored
}
