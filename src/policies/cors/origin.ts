/**
 * Origins as browsers serialize them (RFC 6454 §6.2, WHATWG URL "origin"): `scheme://host[:port]`
 * with a lower-case, IDNA-encoded host and no default port. Config entries and `Origin` request
 * headers both go through `parseOrigin`, so matching is one exact `Set` lookup on canonical
 * text — never a prefix, suffix or pattern match.
 */

/** Longest origin considered (a DNS name is ≤ 253 octets; scheme and port add little). */
const MAX_ORIGIN_LENGTH = 512

/**
 * `scheme://authority` and nothing else: no path (not even `/`), query, fragment, userinfo,
 * backslash or whitespace. The URL parser would silently drop or rewrite those, so they are
 * refused before it runs.
 */
const ORIGIN_SHAPE = /^(https?):\/\/[^/?#@\\\s]+$/i

/**
 * A host as the URL parser leaves it: DNS labels (IDNA already applied), IPv4, or a bracketed
 * IPv6 address. The parser passes some characters (`*`, `!`, `$`…) through; no browser origin
 * carries them.
 */
const HOST = /^([a-z0-9_-]+(\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])$/

/** Why `parseOrigin` refused a text, for write-time messages. */
export type OriginProblem =
  'null' | 'too long' | 'not scheme://host[:port]' | 'not an http(s) origin' | 'not canonical'

export type ParsedOrigin = { ok: true; origin: string } | { ok: false; problem: OriginProblem }

/**
 * The canonical serialized origin of `text` (`https://Example.COM:443` → `https://example.com`),
 * or why it is not one. Only `http` and `https` origins exist here: other schemes serialize to
 * the opaque origin `null`, which is never allowed.
 */
export function parseOrigin(text: string): ParsedOrigin {
  if (text.toLowerCase() === 'null') return { ok: false, problem: 'null' }
  if (text.length > MAX_ORIGIN_LENGTH) return { ok: false, problem: 'too long' }
  if (!ORIGIN_SHAPE.test(text)) {
    return {
      ok: false,
      problem:
        /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^https?:/i.test(text)
          ? 'not an http(s) origin'
          : 'not scheme://host[:port]',
    }
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { ok: false, problem: 'not scheme://host[:port]' }
  }
  // The shape check leaves the parser nothing to drop; a host it rewrote to empty or an origin
  // it calls opaque is still refused.
  if (!HOST.test(url.hostname) || url.origin === 'null') {
    return { ok: false, problem: 'not scheme://host[:port]' }
  }
  if (url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '') {
    return { ok: false, problem: 'not canonical' }
  }
  return { ok: true, origin: url.origin }
}

/** The scheme wildcards AWS documents for `allowOrigins`: any origin of that scheme. */
export const SCHEME_WILDCARDS: ReadonlyMap<string, string> = new Map([
  ['https://*', 'https:'],
  ['http://*', 'http:'],
])
