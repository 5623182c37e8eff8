/**
 * Byte-level helpers for percent-encoding: strict UTF-8 decoding (RFC 3629 §4: no overlongs, no
 * surrogates, nothing past U+10FFFF) and upper-case `%XX` encoding (RFC 3986 §2.1 "should use
 * uppercase hexadecimal digits").
 */

const HEX = '0123456789ABCDEF'

/** `%XX` with upper-case hex for one byte. */
export function pctByte(byte: number): string {
  return '%' + (HEX[byte >> 4] ?? '0') + (HEX[byte & 15] ?? '0')
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  const lower = code | 0x20
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10
  return -1
}

/** The byte encoded by the two hex digits at `s[i]`, `s[i+1]`, or -1 when they are not hex. */
export function hexByteAt(s: string, i: number): number {
  if (i + 1 >= s.length) return -1
  const hi = hexValue(s.charCodeAt(i))
  const lo = hexValue(s.charCodeAt(i + 1))
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo
}

/** Percent-encodes one code point as UTF-8 bytes. */
export function pctEncodeCodePoint(cp: number): string {
  if (cp < 0x80) return pctByte(cp)
  if (cp < 0x800) return pctByte(0xc0 | (cp >> 6)) + pctByte(0x80 | (cp & 63))
  if (cp < 0x10000) {
    return pctByte(0xe0 | (cp >> 12)) + pctByte(0x80 | ((cp >> 6) & 63)) + pctByte(0x80 | (cp & 63))
  }
  return (
    pctByte(0xf0 | (cp >> 18)) +
    pctByte(0x80 | ((cp >> 12) & 63)) +
    pctByte(0x80 | ((cp >> 6) & 63)) +
    pctByte(0x80 | (cp & 63))
  )
}

/** Bytes a code point takes in UTF-8. */
export function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
}

/**
 * Decodes one UTF-8 sequence starting at `bytes[start]` (whose first byte is >= 0x80).
 * Returns the code point and length, or undefined when the sequence is not well-formed UTF-8
 * (RFC 3629 §4 table: overlong forms such as C0 AE, surrogates ED A0.., F5+ are all refused).
 */
export function decodeUtf8At(
  bytes: readonly number[],
  start: number
): { cp: number; len: number } | undefined {
  const b0 = bytes[start] ?? 0
  let len: number
  let lo = 0x80
  let hi = 0xbf
  if (b0 >= 0xc2 && b0 <= 0xdf) len = 2
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3
    if (b0 === 0xe0) lo = 0xa0
    if (b0 === 0xed) hi = 0x9f
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4
    if (b0 === 0xf0) lo = 0x90
    if (b0 === 0xf4) hi = 0x8f
  } else return undefined
  let cp = b0 & (len === 2 ? 0x1f : len === 3 ? 0x0f : 0x07)
  for (let k = 1; k < len; k++) {
    const b = bytes[start + k]
    if (b === undefined) return undefined
    const min = k === 1 ? lo : 0x80
    const max = k === 1 ? hi : 0xbf
    if (b < min || b > max) return undefined
    cp = (cp << 6) | (b & 63)
  }
  return { cp, len }
}
