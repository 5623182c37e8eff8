/**
 * The document's base path and AWS's `basepath` import modes (AWS "Set the OpenAPI basePath
 * property"): Swagger 2 `basePath`; OpenAPI 3 the first `basePath` server variable, else the
 * path of the first server URL. `ignore` drops it, `prepend` adds it to every path, `split`
 * drops its first segment (usually a stage name) and prepends the rest.
 */
import type { Diagnostics } from './diagnostics'
import type { JsonObject } from './json'
import { isRecord } from './json'
import { parsePath } from './path-syntax'

export function basePathPrefix(
  doc: JsonObject,
  version: 2 | 3,
  mode: 'ignore' | 'prepend' | 'split',
  d: Diagnostics
): string {
  if (mode === 'ignore') return ''
  const raw = version === 2 ? doc.basePath : serverBasePath(doc.servers)
  if (typeof raw !== 'string') return ''
  const trimmed = raw.replace(/^\/+|\/+$/g, '')
  if (trimmed === '') return ''
  const segments = trimmed.split('/')
  const kept = mode === 'split' ? segments.slice(1) : segments
  if (kept.length === 0) return ''
  const prefix = '/' + kept.join('/')
  const parsed = parsePath(prefix)
  if (!parsed.ok || parsed.value.params.length > 0) {
    d.error(
      version === 2 ? '/basePath' : '/servers',
      `Base path ${prefix} is not a plain resource path`
    )
    return ''
  }
  return prefix
}

function serverBasePath(servers: unknown): string | undefined {
  if (!Array.isArray(servers)) return undefined
  for (const server of servers) {
    if (!isRecord(server) || !isRecord(server.variables)) continue
    const variable = server.variables.basePath
    if (isRecord(variable) && typeof variable.default === 'string') return variable.default
  }
  const first: unknown = servers[0]
  if (!isRecord(first) || typeof first.url !== 'string') return undefined
  // Server URLs may be templated (`https://{host}/v1`) or relative (`/v1`).
  const path = first.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '')
  return path.includes('{') ? undefined : path
}
