/**
 * The stored form of a response and back. The Cache API expires entries by the stored
 * `Cache-Control`, so the entry carries `Cache-Control: max-age=<ttl>` and keeps the upstream's
 * own `Cache-Control`, `Expires` and `Vary` in internal headers that are restored when served;
 * freshness is also checked here (`x-portico-stored-at` + ttl), so an entry is never served past
 * its TTL whatever the store does. `Age` on a hit is the upstream's `Age` plus the time resident
 * (RFC 9111 §4.2.3).
 */

const META = {
  storedAt: 'x-portico-stored-at',
  ttl: 'x-portico-ttl',
  age: 'x-portico-age',
  cacheControl: 'x-portico-cache-control',
  expires: 'x-portico-expires',
  vary: 'x-portico-vary',
  varyValues: 'x-portico-vary-values',
} as const

/** Headers the store adds that a client never sees. */
const STRIPPED_ON_SERVE = [...Object.values(META), 'cf-cache-status', 'cache-control', 'expires']

/** The request header names a response's `Vary` selects on (lower case, RFC 9111 §4.1). */
export function varyNames(vary: string | null): string[] {
  if (vary === null) return []
  return vary
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter((f) => f !== '')
}

/** The selecting values of this request for `names`. */
export function varyValues(names: readonly string[], request: Headers): (string | null)[] {
  return names.map((name) => request.get(name))
}

export interface StoreMeta {
  readonly ttlSeconds: number
  readonly upstreamAgeSeconds: number
  /** epoch ms */
  readonly now: number
  readonly request: Headers
}

/** The response as stored: internal metadata, store-facing Cache-Control, the body bytes. */
export function toStored(
  status: number,
  statusText: string,
  source: Headers,
  body: Uint8Array | null,
  meta: StoreMeta
): Response {
  const headers = new Headers(source)
  const moves: [string, string][] = [
    ['cache-control', META.cacheControl],
    ['expires', META.expires],
    ['vary', META.vary],
  ]
  for (const [from, to] of moves) {
    const value = headers.get(from)
    headers.delete(from)
    if (value !== null) headers.set(to, value)
  }
  headers.delete('age')
  headers.set('cache-control', `max-age=${String(meta.ttlSeconds)}`)
  headers.set(META.storedAt, String(meta.now))
  headers.set(META.ttl, String(meta.ttlSeconds))
  headers.set(META.age, String(meta.upstreamAgeSeconds))
  const names = varyNames(source.get('vary'))
  if (names.length > 0)
    headers.set(META.varyValues, JSON.stringify(varyValues(names, meta.request)))
  if (body !== null) headers.set('content-length', String(body.byteLength))
  return new Response(body, { status, statusText, headers })
}

function numberHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name)
  if (value === null || !/^\d+$/.test(value)) return undefined
  return Number(value)
}

/** A stored entry as the policy reads it. */
export interface StoredEntry {
  readonly response: Response
  /** Seconds since the upstream produced it (RFC 9111 §4.2.3 current_age). */
  readonly ageSeconds: number
  readonly fresh: boolean
  /** The request's selecting headers match those the entry was stored for (RFC 9111 §4.1). */
  readonly varyMatches: boolean
}

/** Reads a stored response; `undefined` when it is not one of ours (never served). */
export function readStored(
  stored: Response,
  now: number,
  request: Headers
): StoredEntry | undefined {
  const headers = stored.headers
  const storedAt = numberHeader(headers, META.storedAt)
  const ttl = numberHeader(headers, META.ttl)
  if (storedAt === undefined || ttl === undefined) return undefined
  const residentMs = Math.max(0, now - storedAt)
  const ageSeconds = (numberHeader(headers, META.age) ?? 0) + Math.floor(residentMs / 1000)
  const names = varyNames(headers.get(META.vary))
  let varyMatches = true
  if (names.length > 0) {
    const current = JSON.stringify(varyValues(names, request))
    varyMatches = current === (headers.get(META.varyValues) ?? '')
  }
  return { response: stored, ageSeconds, fresh: residentMs < ttl * 1000, varyMatches }
}

/** The headers a client sees for a stored entry (upstream's own restored, `Age` set). */
export function servedHeaders(entry: StoredEntry): Headers {
  const source = entry.response.headers
  const headers = new Headers(source)
  for (const name of STRIPPED_ON_SERVE) headers.delete(name)
  const restore: [string, string][] = [
    [META.cacheControl, 'cache-control'],
    [META.expires, 'expires'],
    [META.vary, 'vary'],
  ]
  for (const [from, to] of restore) {
    const value = source.get(from)
    if (value !== null) headers.set(to, value)
  }
  headers.set('age', String(entry.ageSeconds))
  return headers
}
