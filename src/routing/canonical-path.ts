/**
 * The one canonical request path (DESIGN §5, SECURITY "Paths"). Routing, authorization,
 * rate-limit and cache keys, logs and the upstream URL all use the string this module returns,
 * so an upstream can never see a different path than the one the gateway checked. Ambiguous input
 * is refused, not repaired. Rules and examples: docs/routing.md.
 */
import { err, ok, type Result } from '../result'
import { isControlCodePoint, isUnicodeLookalikeAttack } from './unsafe-text'
import { decodeUtf8At, hexByteAt, pctByte, pctEncodeCodePoint, utf8Length } from './utf8'

/** Longest path accepted, in bytes, both as received and in canonical form. */
export const MAX_PATH_BYTES = 8192

/** How each ASCII character is treated in a path segment. */
const CharClass = {
  /** RFC 3986 §2.3 unreserved: kept raw, and decoded when percent-encoded. */
  Unreserved: 0,
  /** Other RFC 3986 pchar (sub-delims minus `;`, `:`, `@`): kept raw, escapes kept as escapes. */
  Keep: 1,
  /** Not allowed raw by RFC 3986 but harmless: percent-encoded (`|` → `%7C`). */
  Encode: 2,
  /** Refused raw and percent-encoded. */
  Reject: 3,
} as const
type CharClass = (typeof CharClass)[keyof typeof CharClass]

const ASCII_CLASS: CharClass[] = Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c)
  if (/[A-Za-z0-9\-._~]/.test(ch)) return CharClass.Unreserved
  // `%`, `?` and `#` are data once decoded (`%25`, `%3F`, `%23`); raw they are delimiters.
  if ("!$&'()*+,=:@%?#".includes(ch)) return CharClass.Keep
  if (' "<>[]^`{|}'.includes(ch)) return CharClass.Encode
  return CharClass.Reject
})

function classOf(c: number): CharClass {
  return ASCII_CLASS[c] ?? CharClass.Reject
}

/** Why an ASCII character is refused (raw or decoded); `?`/`#` are refused only raw. */
function rejectReason(c: number, encoded: boolean): string {
  const how = encoded ? 'encoded ' : ''
  if (c === 0x2f) return `${how}slash in a segment`
  if (c === 0x5c) return `${how}backslash`
  if (c === 0x3b) return `${how}matrix parameter (;)`
  if (c === 0x3f || c === 0x23) return 'query or fragment delimiter in path'
  return `${how}control character`
}

/** Double encoding: a decoded segment must never contain another valid escape. */
const DOUBLE_ENCODED = /%25[0-9A-Fa-f]{2}/

function canonicalizeSegment(seg: string): Result<{ text: string; bytes: number }, string> {
  let out = ''
  let rawBytes = 0
  let nonAscii = false
  let i = 0
  while (i < seg.length) {
    const c = seg.charCodeAt(i)
    if (c === 0x25) {
      const bytes: number[] = []
      while (i < seg.length && seg.charCodeAt(i) === 0x25) {
        const b = hexByteAt(seg, i + 1)
        if (b < 0) return err('invalid percent-encoding')
        bytes.push(b)
        i += 3
        rawBytes += 3
      }
      let j = 0
      while (j < bytes.length) {
        const b = bytes[j] ?? 0
        if (b < 0x80) {
          const cls = classOf(b)
          if (cls === CharClass.Reject) return err(rejectReason(b, true))
          out += cls === CharClass.Unreserved ? String.fromCharCode(b) : pctByte(b)
          j++
          continue
        }
        const seq = decodeUtf8At(bytes, j)
        if (seq === undefined) return err('percent-encoded bytes are not valid UTF-8')
        if (isControlCodePoint(seq.cp)) return err('encoded control character')
        out += pctEncodeCodePoint(seq.cp)
        nonAscii = true
        j += seq.len
      }
      continue
    }
    if (c < 0x80) {
      const cls = c === 0x3f || c === 0x23 ? CharClass.Reject : classOf(c)
      if (cls === CharClass.Reject) return err(rejectReason(c, false))
      out += cls === CharClass.Encode ? pctByte(c) : String.fromCharCode(c)
      i++
      rawBytes++
      continue
    }
    const cp = seg.codePointAt(i) ?? 0
    if (cp >= 0xd800 && cp <= 0xdfff) return err('unpaired surrogate')
    if (isControlCodePoint(cp)) return err('control character')
    out += pctEncodeCodePoint(cp)
    nonAscii = true
    rawBytes += utf8Length(cp)
    i += cp > 0xffff ? 2 : 1
  }
  // RFC 3986 §3.3: `.` and `..` (raw or as %2E) are dot segments; refused, never resolved.
  if (out === '.' || out === '..') return err('dot segment')
  if (DOUBLE_ENCODED.test(out)) return err('double percent-encoding')
  if (nonAscii && isUnicodeLookalikeAttack(decodeSegment(out))) {
    return err('unicode look-alike of a separator or dot segment')
  }
  return ok({ text: out, bytes: rawBytes })
}

/**
 * Turns a raw request path (as the client sent it, without query) into the canonical path, or a
 * short reason for logs (the caller answers 400). Canonical form: segments joined by single `/`;
 * unreserved escapes decoded, every other escape upper-case hex, harmless raw characters that RFC
 * 3986 does not allow (`|`, `"`, non-ASCII…) percent-encoded. A trailing slash is kept and
 * significant (`/a/` ≠ `/a`). Idempotent; decoding any segment of the result once yields no
 * `/`, `\`, `;`, control characters, `.`/`..` or further escapes.
 */
export function canonicalizePath(rawPath: string): Result<string, string> {
  if (!rawPath.startsWith('/')) return err('path does not start with /')
  // Each UTF-16 unit is at least one UTF-8 byte: a cheap cap before any work.
  if (rawPath.length > MAX_PATH_BYTES) return err('path too long')
  const segments = rawPath.slice(1).split('/')
  let out = ''
  let bytes = 1
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s] ?? ''
    // An empty segment is only allowed last: it is the (significant) trailing slash.
    if (seg === '' && s < segments.length - 1) return err('empty segment (//)')
    const r = canonicalizeSegment(seg)
    if (!r.ok) return r
    bytes += r.value.bytes + 1
    out += '/' + r.value.text
  }
  if (bytes - 1 > MAX_PATH_BYTES || out.length > MAX_PATH_BYTES) return err('path too long')
  return ok(out)
}

/**
 * Decodes one segment of a canonical path (exact, never throws). For other input, a segment whose
 * escapes are not valid UTF-8 percent-encoding is returned unchanged.
 */
export function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/**
 * The path of a request URL exactly as serialized, without query or fragment; origin-form input
 * (`/a?b`) works too. An empty path is `/` (RFC 9112 §3.2.1). Never use `new URL().pathname`
 * for this: it resolves dot segments. Note that workerd already parses `request.url` with the
 * WHATWG URL parser, so raw and `%2e` dot segments and `\` arrive resolved (docs/routing.md).
 */
export function rawPathOf(requestUrl: string): string {
  let start = 0
  if (!requestUrl.startsWith('/')) {
    const scheme = requestUrl.indexOf('://')
    if (scheme < 0) return ''
    start = requestUrl.length
    for (let i = scheme + 3; i < requestUrl.length; i++) {
      const c = requestUrl[i]
      if (c === '/' || c === '?' || c === '#') {
        start = i
        break
      }
    }
  }
  let end = requestUrl.length
  for (let i = start; i < requestUrl.length; i++) {
    const c = requestUrl[i]
    if (c === '?' || c === '#') {
      end = i
      break
    }
  }
  const path = requestUrl.slice(start, end)
  return path === '' ? '/' : path
}
