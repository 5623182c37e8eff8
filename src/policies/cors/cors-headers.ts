/**
 * The CORS response headers for one request, from the compiled state (Fetch §3.2 "CORS protocol").
 * Pure: no I/O, nothing stored; the caller decides where the headers go.
 */
import type { CorsState } from './cors-state'
import { parseOrigin } from './origin'

/** `Vary` on every response of a CORS API: the answer depends on `Origin` (Fetch §3.2.5). */
export const VARY_ORIGIN = 'Origin'
/** Preflight answers also depend on what was asked for. */
export const VARY_PREFLIGHT =
  'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'

/** RFC 9110 §5.6.2 token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const MAX_METHOD_LENGTH = 32
/** Requested-header lists longer than this are refused rather than parsed. */
const MAX_REQUEST_HEADERS_LENGTH = 4096
const MAX_REQUEST_HEADERS = 64

/**
 * The `Access-Control-Allow-Origin` value for `origin` (the `Origin` header), or `undefined` when
 * it is not allowed. Allowed origins are answered in canonical form, never with the client's
 * bytes; `null`, malformed and look-alike origins are never allowed, even under `*`.
 */
export function allowOriginFor(state: CorsState, origin: string | null): string | undefined {
  if (origin === null) return undefined
  // Browsers send canonical origins: an exact hit needs no parsing.
  if (!state.anyOrigin && state.origins.has(origin)) return origin
  const parsed = parseOrigin(origin)
  if (!parsed.ok) return undefined
  if (state.anyOrigin && !state.credentials) return '*'
  if (state.origins.has(parsed.origin)) return parsed.origin
  const scheme = parsed.origin.slice(0, parsed.origin.indexOf(':') + 1)
  return state.anyOriginOfScheme.has(scheme) && !state.credentials ? parsed.origin : undefined
}

/** Headers of an actual (non-preflight) CORS request whose origin is allowed. */
export function actualRequestHeaders(state: CorsState, allowOrigin: string): [string, string][] {
  const headers: [string, string][] = [['access-control-allow-origin', allowOrigin]]
  if (state.credentials) headers.push(['access-control-allow-credentials', 'true'])
  if (state.exposeHeadersValue !== undefined) {
    headers.push(['access-control-expose-headers', state.exposeHeadersValue])
  }
  return headers
}

/** The requested header names, lower case; `undefined` when the list is malformed or huge. */
function requestedHeaders(value: string | null): string[] | undefined {
  if (value === null || value.trim() === '') return []
  if (value.length > MAX_REQUEST_HEADERS_LENGTH) return undefined
  const names = value.split(',').map((name) => name.trim().toLowerCase())
  if (names.length > MAX_REQUEST_HEADERS) return undefined
  return names.every((name) => TOKEN.test(name)) ? names : undefined
}

/** A preflight request: `OPTIONS` with `Origin` and `Access-Control-Request-Method` (Fetch §3.2.2). */
export function isPreflight(request: Request): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.headers.has('origin') &&
    request.headers.has('access-control-request-method')
  )
}

/**
 * Headers answering a preflight: the allow headers when origin, method and every requested
 * header are allowed, otherwise only `Vary` (the browser then refuses the actual request).
 */
export function preflightHeaders(state: CorsState, request: Headers): Headers {
  const headers = new Headers({ vary: VARY_PREFLIGHT })
  const allowOrigin = allowOriginFor(state, request.get('origin'))
  if (allowOrigin === undefined) return headers
  const method = request.get('access-control-request-method') ?? ''
  if (method.length > MAX_METHOD_LENGTH || !TOKEN.test(method)) return headers
  if (!state.anyMethod && !state.methods.has(method)) return headers
  const asked = requestedHeaders(request.get('access-control-request-headers'))
  if (asked === undefined) return headers
  if (!state.anyHeader && !asked.every((name) => state.headers.has(name))) return headers
  headers.set('access-control-allow-origin', allowOrigin)
  if (state.credentials) headers.set('access-control-allow-credentials', 'true')
  // With `*` configured the request is echoed: unlike a literal `*`, that also covers
  // `Authorization` (Fetch §3.2.3) and works with every browser.
  const allowMethods = state.anyMethod ? method : state.allowMethodsValue
  if (allowMethods !== undefined) headers.set('access-control-allow-methods', allowMethods)
  const allowHeaders = state.anyHeader
    ? asked.length === 0
      ? undefined
      : asked.join(', ')
    : state.allowHeadersValue
  if (allowHeaders !== undefined) headers.set('access-control-allow-headers', allowHeaders)
  if (state.maxAgeValue !== undefined) headers.set('access-control-max-age', state.maxAgeValue)
  return headers
}
