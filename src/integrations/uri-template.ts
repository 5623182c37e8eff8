/**
 * Integration URI templates: `${stageVariables.name}` substituted once at build, `{name}` /
 * `{proxy+}` path placeholders filled per request. The scheme, host and port come from the
 * template alone and are SSRF-checked at build; a path parameter only ever lands inside the path
 * (each value percent-encoded, so `@`, `//`, `?`, `#`, `%2F` and `\` stay path data).
 */
import { checkUpstreamUrl } from '../config/upstream-url'
import { err, ok, type Result } from '../result'

type PathPart = { kind: 'text'; text: string } | { kind: 'param'; name: string; greedy: boolean }

/** A checked upstream URL whose path may still hold path-parameter placeholders. */
export interface CompiledUri {
  /** `scheme://host[:port]`, fixed by config. */
  readonly origin: string
  readonly pathParts: readonly PathPart[]
  /** The template's own query string, without `?` ('' when none). */
  readonly query: string
}

const STAGE_VARIABLE = /\$\{stageVariables\.([^}]*)\}/g
const PLACEHOLDER = /\{([A-Za-z0-9._-]+)(\+?)\}/g
const SENTINEL = /__portico(\d+)__/

/** AWS: `${stageVariables.name}` may appear anywhere in the URI; an unknown name cannot serve. */
export function substituteStageVariables(
  template: string,
  variables: Readonly<Record<string, string>>
): Result<string, string> {
  const missing: string[] = []
  const out = template.replace(STAGE_VARIABLE, (_match, name: string) => {
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined
    if (value === undefined) missing.push(name)
    return value ?? ''
  })
  if (missing.length > 0) return err(`stage variable ${missing.join(', ')} is not defined`)
  return ok(out)
}

/** Path parameter names of a route key (`GET /files/{proxy+}` → proxy: greedy). */
export function routePathParameters(routeKey: string): Map<string, boolean> {
  const params = new Map<string, boolean>()
  const path = routeKey.slice(routeKey.indexOf(' ') + 1)
  for (const match of path.matchAll(PLACEHOLDER)) {
    params.set(match[1] ?? '', match[2] === '+')
  }
  return params
}

/**
 * Compiles a (stage-variable-substituted) URI: placeholders are swapped for sentinels, the URL
 * is parsed and SSRF-checked, and the sentinels must all land in the path.
 */
export function compileUri(
  uri: string,
  options: { allowLoopback: boolean; pathParameters: ReadonlyMap<string, boolean> }
): Result<CompiledUri, string> {
  const names: { name: string; greedy: boolean }[] = []
  let unknown: string | undefined
  const withSentinels = uri.replace(PLACEHOLDER, (_m, name: string) => {
    const greedy = options.pathParameters.get(name)
    if (greedy === undefined) unknown ??= name
    names.push({ name, greedy: greedy === true })
    return `__portico${String(names.length - 1)}__`
  })
  if (unknown !== undefined)
    return err(`URI placeholder {${unknown}} is not a route path parameter`)
  const checked = checkUpstreamUrl(withSentinels, options)
  if (!checked.ok) return checked
  const url = checked.value
  if (url.hash !== '') return err('URI must not contain a fragment')
  const outsidePath = `${url.host}${url.search}`
  if (SENTINEL.test(outsidePath)) return err('URI placeholders are only allowed in the path')
  const pathParts: PathPart[] = []
  url.pathname.split(/(__portico\d+__)/).forEach((piece, i) => {
    if (i % 2 === 0) {
      if (piece !== '') pathParts.push({ kind: 'text', text: piece })
      return
    }
    const index = Number(SENTINEL.exec(piece)?.[1])
    const ref = names[index]
    if (ref !== undefined) pathParts.push({ kind: 'param', ...ref })
  })
  return ok({ origin: url.origin, pathParts, query: url.search.slice(1) })
}

/**
 * Percent-encodes one path segment. Dot segments are refused: fetch's URL parser would resolve
 * `..` (and `%2e%2e`, WHATWG URL §4.4) and climb out of the configured base path.
 */
function encodePathSegment(segment: string): Result<string, string> {
  if (segment === '.' || segment === '..') return err('path parameter is a dot segment')
  try {
    return ok(encodeURIComponent(segment))
  } catch {
    return err('path parameter is not valid Unicode')
  }
}

/** A greedy value keeps its `/` separators; every segment is encoded on its own. */
export function encodePathValue(value: string, greedy: boolean): Result<string, string> {
  if (!greedy) return encodePathSegment(value)
  const out: string[] = []
  for (const segment of value.split('/')) {
    const encoded = encodePathSegment(segment)
    if (!encoded.ok) return encoded
    out.push(encoded.value)
  }
  return ok(out.join('/'))
}

/** The request's upstream path: template text plus encoded parameter values. */
export function expandPath(
  uri: CompiledUri,
  params: Readonly<Record<string, string>>
): Result<string, string> {
  let path = ''
  for (const part of uri.pathParts) {
    if (part.kind === 'text') {
      path += part.text
      continue
    }
    const value = Object.hasOwn(params, part.name) ? params[part.name] : undefined
    if (value === undefined) return err(`path parameter ${part.name} is missing`)
    const encoded = encodePathValue(value, part.greedy)
    if (!encoded.ok) return encoded
    path += encoded.value
  }
  return ok(path === '' ? '/' : path)
}

/**
 * Joins origin, path and query. No re-parse is needed to keep the host: `origin` is the checked
 * `scheme://host[:port]` and `path` always starts with `/` (the template's own pathname, or a
 * mapped `overwrite:path`, which must start with `/`), so the URL parser is already in the path
 * state when any parameter data begins — nothing after it can reach the authority.
 */
export function joinUrl(origin: string, path: string, query: string): string {
  return `${origin}${path}${query === '' ? '' : `?${query}`}`
}
