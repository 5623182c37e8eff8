/**
 * Semantic checks on `ApiConfig.corsConfiguration` (the schema has already checked types, sizes
 * and header-name syntax). Used when a document is written (a problem is a 400) and by the CORS
 * policy when it builds its per-API state (a problem turns CORS off: fail closed, logged).
 */
import { parseOrigin, SCHEME_WILDCARDS } from '../policies/cors/origin'
import type { CorsConfig, ProtocolType } from './types'
import { pointer, type ConfigIssue } from './validate-issues'

/** Methods a CORS configuration may name (AWS `allowMethods`), `*` = any of them. */
export const CORS_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
])

const WILDCARD = '*'

function originIssue(entry: string, credentials: boolean): string | undefined {
  if (entry === WILDCARD || SCHEME_WILDCARDS.has(entry)) {
    // Fetch §3.2.5: `*` is never honoured with credentials, and echoing every origin instead
    // would hand any site the caller's cookies.
    return credentials
      ? `${JSON.stringify(entry)} is not allowed when allowCredentials is true: list exact origins`
      : undefined
  }
  if (entry.includes('*')) {
    return 'wildcards are only allowed as "*", "https://*" or "http://*"; list exact origins instead'
  }
  const parsed = parseOrigin(entry)
  if (parsed.ok) return undefined
  switch (parsed.problem) {
    case 'null':
      return '"null" is the origin of sandboxed documents and local files; it is never allowed'
    case 'too long':
      return 'is too long for an origin'
    case 'not an http(s) origin':
      return 'must be an http:// or https:// origin'
    case 'not scheme://host[:port]':
    case 'not canonical':
      return 'must be an origin: scheme://host[:port], without path, query, userinfo or trailing slash'
  }
}

function wildcardWithCredentials(
  list: readonly string[] | undefined,
  name: string,
  at: string
): ConfigIssue[] {
  const index = list?.indexOf(WILDCARD) ?? -1
  return index < 0
    ? []
    : [
        {
          path: `${at}${pointer(name, index)}`,
          message: `"*" is not allowed when allowCredentials is true (browsers read it literally): list the ${name === 'allowMethods' ? 'methods' : 'headers'}`,
        },
      ]
}

/** Problems of one CORS configuration; `at` is its JSON Pointer (`/corsConfiguration`). */
export function corsConfigIssues(
  cors: CorsConfig,
  protocol: ProtocolType,
  at = '/corsConfiguration'
): ConfigIssue[] {
  if (protocol === 'WEBSOCKET') {
    return [
      { path: at, message: 'CORS does not apply to WEBSOCKET APIs (use webSocket.allowOrigins)' },
    ]
  }
  const credentials = cors.allowCredentials === true
  const issues: ConfigIssue[] = []
  cors.allowOrigins?.forEach((entry, i) => {
    const message = originIssue(entry, credentials)
    if (message !== undefined) issues.push({ path: `${at}${pointer('allowOrigins', i)}`, message })
  })
  cors.allowMethods?.forEach((method, i) => {
    if (method !== WILDCARD && !CORS_METHODS.has(method)) {
      issues.push({
        path: `${at}${pointer('allowMethods', i)}`,
        message: `must be one of ${[...CORS_METHODS].join(', ')} or "*"`,
      })
    }
  })
  if (cors.maxAge !== undefined && !(cors.maxAge >= 0 && cors.maxAge <= 86400)) {
    issues.push({ path: `${at}/maxAge`, message: 'must be 0–86400 seconds' })
  }
  if (credentials) {
    issues.push(
      ...wildcardWithCredentials(cors.allowMethods, 'allowMethods', at),
      ...wildcardWithCredentials(cors.allowHeaders, 'allowHeaders', at),
      ...wildcardWithCredentials(cors.exposeHeaders, 'exposeHeaders', at)
    )
  }
  return issues
}
