/**
 * Route keys (`GET /pets/{petId}`, `ANY /files/{proxy+}`, `$default`) parsed and validated once,
 * when a route table is compiled. Templates follow API Gateway: a parameter is a whole segment,
 * a greedy `{name+}` may only be the last segment, paths are case-sensitive and never end in `/`.
 */
import { err, ok, type Result } from '../result'
import { isControlCodePoint } from './unsafe-text'

/**
 * The request methods API Gateway serves. `ANY` and `$default` stand for these only: `TRACE`
 * (cross-site tracing), `CONNECT`, a literal `ANY` or a made-up verb match no route.
 */
export const SERVED_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
])

/** Methods a route key may name: the served ones and `ANY` (any method without its own route). */
export const ROUTE_METHODS: ReadonlySet<string> = new Set([...SERVED_METHODS, 'ANY'])

/** Longest route path accepted (same bound as request paths). */
export const MAX_ROUTE_PATH_LENGTH = 8192

export type PathSegmentPattern =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string }

export type ParsedRouteKey =
  | { kind: 'default' }
  | { kind: 'route'; method: string; path: string; segments: PathSegmentPattern[] }

const PARAM_NAME = /^[A-Za-z0-9_.-]+$/
/** Raw characters a literal may hold: RFC 3986 pchar without `%` (no escapes) and `;`. */
const LITERAL_ASCII = /^[A-Za-z0-9\-._~!$&'()*+,=:@]$/

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0
  return cp < 0x21 || cp === 0x7f ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : ch
}

function checkLiteral(seg: string): string | undefined {
  if (seg.includes('{') || seg.includes('}')) {
    return `"{" or "}" inside the literal segment "${seg}" (a parameter must be a whole segment)`
  }
  if (seg === '.' || seg === '..') return 'dot segment'
  for (const ch of seg) {
    const cp = ch.codePointAt(0) ?? 0
    const allowed =
      cp < 0x80
        ? LITERAL_ASCII.test(ch)
        : !isControlCodePoint(cp) && !(cp >= 0xd800 && cp <= 0xdfff)
    if (allowed) continue
    if (ch === '%') return 'percent-encoding in a route path (write the character itself)'
    return `illegal character ${describeChar(ch)} in segment "${seg}"`
  }
  return undefined
}

function parseSegment(
  seg: string,
  isLast: boolean,
  names: Set<string>
): Result<PathSegmentPattern, string> {
  if (seg === '') return err('empty segment (//)')
  // AWS: a parameter is a whole segment; `{id}.json` or `x{id}` are refused, not half-matched.
  if (!seg.startsWith('{') || (!seg.endsWith('}') && seg.includes('}'))) {
    const problem = checkLiteral(seg)
    return problem === undefined ? ok({ kind: 'literal', value: seg }) : err(problem)
  }
  if (!seg.endsWith('}')) return err(`unclosed parameter "${seg}"`)
  const inner = seg.slice(1, -1)
  const greedy = inner.endsWith('+')
  const name = greedy ? inner.slice(0, -1) : inner
  if (name === '') return err(`empty parameter name in "${seg}"`)
  if (!PARAM_NAME.test(name)) return err(`illegal parameter name "${name}" (use A-Z a-z 0-9 _ . -)`)
  if (greedy && !isLast) return err(`greedy parameter {${name}+} must be the last segment`)
  if (names.has(name)) return err(`duplicate parameter name "${name}"`)
  names.add(name)
  return ok(greedy ? { kind: 'greedy', name } : { kind: 'param', name })
}

/** Parses a template path (`/pets/{petId}`); `/` is the root resource with no segments. */
export function parseRoutePath(path: string): Result<PathSegmentPattern[], string> {
  if (!path.startsWith('/')) return err('route path must start with /')
  if (path.length > MAX_ROUTE_PATH_LENGTH) return err('route path too long')
  if (path === '/') return ok([])
  // AWS refuses route paths ending in `/`; a request's trailing slash is significant instead.
  if (path.endsWith('/')) return err('route path must not end with /')
  const parts = path.slice(1).split('/')
  const names = new Set<string>()
  const segments: PathSegmentPattern[] = []
  for (let i = 0; i < parts.length; i++) {
    const r = parseSegment(parts[i] ?? '', i === parts.length - 1, names)
    if (!r.ok) return r
    segments.push(r.value)
  }
  return ok(segments)
}

/** Parses `METHOD /path` or `$default`, with a precise reason when the key is refused. */
export function parseRouteKey(routeKey: string): Result<ParsedRouteKey, string> {
  if (routeKey === '$default') return ok({ kind: 'default' })
  const space = routeKey.indexOf(' ')
  if (space < 0) return err('route key must be "METHOD /path" or "$default"')
  const method = routeKey.slice(0, space)
  const path = routeKey.slice(space + 1)
  if (!ROUTE_METHODS.has(method)) {
    return ROUTE_METHODS.has(method.toUpperCase())
      ? err(`method "${method}" must be upper-case`)
      : err(`unknown method "${method}"`)
  }
  if (path.startsWith(' ')) return err('exactly one space must separate method and path')
  const segments = parseRoutePath(path)
  if (!segments.ok) return segments
  return ok({ kind: 'route', method, path, segments: segments.value })
}
