/**
 * Request parameter mapping, between REST's grammar
 * (`integration.request.header.x: method.request.querystring.y`, `'literal'`) and the HTTP API
 * grammar Portico stores (`overwrite:header.x: $request.querystring.y`), see AWS "Transform API
 * requests and responses for HTTP APIs". REST path mappings (`integration.request.path.x:
 * method.request.path.y`) become `{y}` in the integration uri, where Portico puts path values.
 */
import type { Diagnostics } from './diagnostics'
import { child, isRecord } from './json'

const REST_TARGET =
  /^integration\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.(.+)$/
const HTTP_TARGET = /^(?:(?:append|overwrite|remove):(?:header|querystring)\.\S+|overwrite:path)$/
const RESPONSE_TARGET = /^(?:(?:append|overwrite|remove):header\.\S+|overwrite:statuscode)$/
const STATUS_KEY = /^[1-5](?:\d\d|XX)$/

export interface RequestMapping {
  requestParameters: Record<string, string>
  /** REST `integration.request.path.X ← method.request.path.Y`: rename `{X}` to `{Y}` in the uri. */
  pathRenames: Map<string, string>
}

/** Translates a REST or HTTP-API request mapping; errors name each entry it cannot express. */
export function importRequestParameters(
  raw: unknown,
  path: string,
  d: Diagnostics
): RequestMapping {
  const out: RequestMapping = { requestParameters: {}, pathRenames: new Map() }
  if (!isRecord(raw)) {
    d.error(path, 'requestParameters must be an object of strings')
    return out
  }
  for (const [key, value] of Object.entries(raw)) {
    const at = child(path, key)
    if (typeof value !== 'string') {
      d.error(at, 'A request parameter mapping value must be a string')
      continue
    }
    if (HTTP_TARGET.test(key)) {
      out.requestParameters[key] = value
      continue
    }
    const target = REST_TARGET.exec(key)
    const location = target?.[1]
    const name = target?.[2]
    if (location === undefined || name === undefined) {
      d.error(at, `Unsupported request parameter mapping target "${key}"`)
      continue
    }
    if (location === 'path') {
      const from = /^method\.request\.path\.(.+)$/.exec(value)?.[1]
      if (from === undefined) {
        d.error(at, 'A path parameter can only be mapped from a path parameter of the route')
      } else if (from !== name) out.pathRenames.set(name, from)
      continue
    }
    if (location === 'multivalueheader' || location === 'multivaluequerystring') {
      d.error(at, `Mapping to ${location} is not supported (HTTP API mapping joins values)`)
      continue
    }
    const source = restSourceToHttp(value)
    if (source === undefined) {
      d.error(at, `Cannot translate the mapping source "${value}" to Portico's mapping grammar`)
      continue
    }
    out.requestParameters[`overwrite:${location}.${name}`] = source
  }
  return out
}

function restSourceToHttp(value: string): string | undefined {
  const literal = /^'(.*)'$/s.exec(value)?.[1]
  if (literal !== undefined) return literal.includes('$') ? undefined : literal
  const m = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(value)
  if (m?.[1] !== undefined && m[2] !== undefined) return `$request.${m[1]}.${m[2]}`
  if (value === 'method.request.body') return '$request.body'
  if (value.startsWith('method.request.body.')) return `$request.body.${value.slice(20)}`
  if (/^context\.[A-Za-z0-9_.]+$/.test(value)) return `$${value}`
  if (/^stageVariables\.[A-Za-z0-9_]+$/.test(value)) return `$${value}`
  return undefined
}

function httpSourceToRest(value: string): string | undefined {
  if (!value.includes('$')) return `'${value}'`
  const m = /^\$request\.(header|querystring|path)\.([^\s${}]+)$/.exec(value)
  if (m?.[1] !== undefined && m[2] !== undefined) return `method.request.${m[1]}.${m[2]}`
  if (value === '$request.body') return 'method.request.body'
  if (/^\$request\.body\.[^\s${}]+$/.test(value)) return `method.request.body.${value.slice(14)}`
  if (/^\$(context|stageVariables)\.[A-Za-z0-9_.]+$/.test(value)) return value.slice(1)
  return undefined
}

/**
 * For a REST export: the REST grammar when every entry has a REST equivalent, otherwise the
 * stored HTTP grammar unchanged (Portico imports both). Path placeholders of `uri` get their
 * `integration.request.path.x: method.request.path.x` entries, as AWS requires for REST.
 */
export function exportRestRequestParameters(
  stored: Record<string, string> | undefined,
  uri: string | undefined
): Record<string, string> | undefined {
  const rest: Record<string, string> = {}
  let expressible = true
  for (const [key, value] of Object.entries(stored ?? {})) {
    const target = /^overwrite:(header|querystring)\.(\S+)$/.exec(key)
    const source = httpSourceToRest(value)
    if (target?.[1] === undefined || target[2] === undefined || source === undefined) {
      expressible = false
      break
    }
    rest[`integration.request.${target[1]}.${target[2]}`] = source
  }
  const out: Record<string, string> = expressible ? rest : { ...stored }
  for (const name of uriPlaceholders(uri ?? '')) {
    out[`integration.request.path.${name}`] = `method.request.path.${name}`
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/** `{name}` placeholders of a uri (not `${stageVariables.x}`). */
export function uriPlaceholders(uri: string): string[] {
  return [...uri.matchAll(/(?<!\$)\{([^{}]+)\}/g)].flatMap((m) =>
    m[1] === undefined ? [] : [m[1]]
  )
}

/** HTTP API `responseParameters`: status code → (`overwrite:header.x` | `overwrite:statuscode`…). */
export function importResponseParameters(
  raw: unknown,
  path: string,
  d: Diagnostics
): Record<string, Record<string, string>> | undefined {
  if (!isRecord(raw)) {
    d.error(path, 'responseParameters must be an object keyed by status code')
    return undefined
  }
  const out: Record<string, Record<string, string>> = {}
  for (const [status, mapping] of Object.entries(raw)) {
    const at = child(path, status)
    if (!STATUS_KEY.test(status) || !isRecord(mapping)) {
      d.error(at, 'responseParameters must map a status code (200, 4XX …) to a mapping object')
      continue
    }
    const entries: Record<string, string> = {}
    for (const [key, value] of Object.entries(mapping)) {
      if (!RESPONSE_TARGET.test(key) || typeof value !== 'string') {
        d.error(child(at, key), `Unsupported response parameter mapping "${key}"`)
      } else entries[key] = value
    }
    out[status] = entries
  }
  return out
}
