/**
 * Conditional GET/HEAD answered from a stored 200 (RFC 9110 §13.1.2, §13.1.3, §13.2.2):
 * `If-None-Match` (weak comparison, `*`) wins; `If-Modified-Since` is evaluated only without it.
 * A match is a 304 carrying the validator and caching headers of the stored response (§15.4.5).
 */

/** Headers a 304 carries (RFC 9110 §15.4.5), plus `Last-Modified` and `Age`. */
const NOT_MODIFIED_HEADERS = [
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'vary',
  'last-modified',
  'age',
]

function opaque(tag: string): string {
  const t = tag.trim()
  return t.startsWith('W/') ? t.slice(2) : t
}

/** RFC 9110 §13.1.2: weak comparison of the stored ETag against an `If-None-Match` list. */
function noneMatch(header: string, etag: string | null): boolean {
  if (header.trim() === '*') return etag !== null
  if (etag === null) return false
  const stored = opaque(etag)
  return header.split(',').some((candidate) => opaque(candidate) === stored)
}

/** RFC 9110 §13.1.3: not modified since the given date (invalid dates are ignored). */
function notModifiedSince(header: string, lastModified: string | null): boolean {
  if (lastModified === null) return false
  const since = Date.parse(header)
  const modified = Date.parse(lastModified)
  if (Number.isNaN(since) || Number.isNaN(modified)) return false
  return modified <= since
}

/** Whether the request's preconditions say the client's copy is current. */
export function isNotModified(request: Headers, stored: Headers, status: number): boolean {
  if (status !== 200) return false
  const ifNoneMatch = request.get('if-none-match')
  if (ifNoneMatch !== null) return noneMatch(ifNoneMatch, stored.get('etag'))
  const ifModifiedSince = request.get('if-modified-since')
  if (ifModifiedSince !== null)
    return notModifiedSince(ifModifiedSince, stored.get('last-modified'))
  return false
}

/** The 304 for a stored response whose served headers are `served`. */
export function notModified(served: Headers): Response {
  const headers = new Headers()
  for (const name of NOT_MODIFIED_HEADERS) {
    const value = served.get(name)
    if (value !== null) headers.set(name, value)
  }
  return new Response(null, { status: 304, headers })
}
