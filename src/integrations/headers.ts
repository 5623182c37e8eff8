/**
 * Header hygiene shared by every integration: hop-by-hop stripping (RFC 9110 §7.6.1), the
 * client-identity headers a client must not be able to set, and header syntax checks (RFC 9110
 * §5.1 token names, §5.5 field values) used before anything mapped or configured is sent.
 */

/** RFC 9110 §7.6.1 hop-by-hop fields, plus the non-standard `Proxy-Connection`. */
export const HOP_BY_HOP_HEADERS: readonly string[] = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]

/**
 * Headers that claim who the client is or how it arrived. They are client-settable, so the
 * gateway drops them and writes its own (SECURITY: spoofed client-IP headers never reach the
 * upstream as if the gateway vouched for them).
 */
const CLIENT_IDENTITY_HEADERS: readonly string[] = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-forwarded-server',
  'x-forwarded-prefix',
  'x-real-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'cf-connecting-ipv6',
  'cf-pseudo-ipv4',
  'x-client-ip',
  'x-cluster-client-ip',
]

/**
 * Method-override headers: an upstream that honours them would run DELETE on a route the
 * gateway authorized as GET (SECURITY: "method-override headers are ignored").
 */
const METHOD_OVERRIDE_HEADERS: readonly string[] = [
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
]

/**
 * Deletes hop-by-hop headers and every header named in `Connection` (RFC 9110 §7.6.1: a proxy
 * MUST remove them before forwarding). Reads `Connection` first, as it is itself removed.
 */
export function stripHopByHop(headers: Headers): void {
  const listed = headers.get('connection')
  if (listed !== null) {
    for (const token of listed.split(',')) {
      const name = token.trim().toLowerCase()
      if (name !== '' && isValidHeaderName(name)) headers.delete(name)
    }
  }
  for (const name of HOP_BY_HOP_HEADERS) headers.delete(name)
}

/** The names `Connection` lists (each a hop-by-hop header for this message), lower-cased. */
function connectionListed(connection: string | null): Set<string> | undefined {
  if (connection === null) return undefined
  const names = new Set<string>()
  for (const token of connection.split(',')) {
    const name = token.trim().toLowerCase()
    if (name !== '') names.add(name)
  }
  return names
}

const DROPPED_FROM_REQUESTS: ReadonlySet<string> = new Set([
  ...HOP_BY_HOP_HEADERS,
  ...CLIENT_IDENTITY_HEADERS,
  ...METHOD_OVERRIDE_HEADERS,
  'host',
])
const HOP_BY_HOP: ReadonlySet<string> = new Set(HOP_BY_HOP_HEADERS)

/**
 * The client's headers as they may go upstream: hop-by-hop, `Connection`-listed,
 * client-identity and method-override headers left out, `only` (when given) kept. Filtering
 * while copying costs one pass instead of a delete per name (each a call into the runtime).
 */
export function forwardableRequestHeaders(source: Headers, only?: readonly string[]): Headers {
  const listed = connectionListed(source.get('connection'))
  const out = new Headers()
  for (const [name, value] of source) {
    if (DROPPED_FROM_REQUESTS.has(name) || listed?.has(name) === true) continue
    if (only !== undefined && !only.includes(name)) continue
    out.append(name, value)
  }
  return out
}

/** Whether a response carries anything `stripHopByHop` would remove (one pass, no copy). */
export function hasHopByHop(headers: Headers): boolean {
  for (const [name] of headers) if (HOP_BY_HOP.has(name)) return true
  return false
}

/**
 * Writes the gateway's forwarding headers. AWS appends the caller's IP to a client-sent
 * `X-Forwarded-For`; Portico replaces it with the platform's client IP instead, so the upstream
 * never sees a client-chosen address in front of the real one (documented deviation).
 */
export function setForwardedHeaders(
  headers: Headers,
  facts: { clientIp: string; proto: string; host: string }
): void {
  headers.set('x-forwarded-for', facts.clientIp)
  headers.set('x-forwarded-proto', facts.proto)
  headers.set('x-forwarded-host', facts.host)
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** RFC 9110 §5.1: a field name is a token. */
export function isValidHeaderName(name: string): boolean {
  return TOKEN.test(name)
}

/**
 * RFC 9110 §5.5: field values are visible ASCII, SP, HTAB and obs-text. CR, LF, NUL and other
 * controls are refused (header injection), as are code points a ByteString cannot carry.
 */
export function isValidHeaderValue(value: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(value)
}

/** Statuses whose responses have no body (RFC 9110 §6.4.1); `new Response` refuses one. */
export function isNullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304
}
