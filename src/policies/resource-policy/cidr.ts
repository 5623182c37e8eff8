/**
 * IP addresses and CIDR blocks for resource policies, parsed by hand (no regex, bounded input).
 * Every address is a 128-bit point held as four 32-bit words; an IPv4 address `a.b.c.d` is the
 * IPv4-mapped IPv6 address `::ffff:a.b.c.d`, so an IPv4 rule and a client that arrives as
 * `::ffff:a.b.c.d` meet in one space (and `::/0` covers every address, IPv4 included).
 * Rules are parsed once when a route is built; per request only `parseIp` and word compares run.
 */

/** Four big-endian 32-bit words. */
export type IpWords = readonly [number, number, number, number]

/** A parsed block: `network` already masked, `mask` one word per word of the address. */
export interface CidrBlock {
  readonly network: IpWords
  readonly mask: IpWords
  /** Prefix length in the 128-bit space (an IPv4 `/n` is `/96+n`). */
  readonly prefix: number
}

/** Longest text worth parsing: `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128` is 49. */
const MAX_TEXT_LENGTH = 64
const MAPPED_PREFIX = 0xffff

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 97 && code <= 102) return code - 87
  if (code >= 65 && code <= 70) return code - 55
  return -1
}

/** A decimal 0…max, no sign, no leading zero (so `010` is never read as octal). */
function parseDecimal(text: string, max: number): number | undefined {
  if (text.length === 0 || text.length > 3) return undefined
  if (text.length > 1 && text.charCodeAt(0) === 48) return undefined
  let value = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (!isDigit(code)) return undefined
    value = value * 10 + (code - 48)
  }
  return value <= max ? value : undefined
}

/** Dotted-quad IPv4 as one unsigned 32-bit number. */
function parseIpv4Word(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let word = 0
  for (const part of parts) {
    const octet = parseDecimal(part, 255)
    if (octet === undefined) return undefined
    word = word * 256 + octet
  }
  return word
}

/** One to four hex digits. */
function parseHextet(text: string): number | undefined {
  if (text.length === 0 || text.length > 4) return undefined
  let value = 0
  for (let i = 0; i < text.length; i++) {
    const digit = hexValue(text.charCodeAt(i))
    if (digit < 0) return undefined
    value = value * 16 + digit
  }
  return value
}

/** The 16-bit groups of one side of `::` (a trailing dotted quad counts as two). */
function parseGroups(text: string, allowIpv4Tail: boolean): number[] | undefined {
  if (text.length === 0) return []
  const parts = text.split(':')
  const groups: number[] = []
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? ''
    if (allowIpv4Tail && i === parts.length - 1 && part.includes('.')) {
      const word = parseIpv4Word(part)
      if (word === undefined) return undefined
      groups.push(Math.floor(word / 0x10000), word % 0x10000)
    } else {
      const hextet = parseHextet(part)
      if (hextet === undefined) return undefined
      groups.push(hextet)
    }
  }
  return groups
}

function parseIpv6(text: string): IpWords | undefined {
  const gap = text.indexOf('::')
  let groups: number[]
  if (gap < 0) {
    const all = parseGroups(text, true)
    if (all?.length !== 8) return undefined
    groups = all
  } else {
    if (text.indexOf('::', gap + 1) >= 0) return undefined
    const head = parseGroups(text.slice(0, gap), false)
    const tail = parseGroups(text.slice(gap + 2), true)
    if (head === undefined || tail === undefined) return undefined
    // `::` stands for at least one zero group.
    const missing = 8 - head.length - tail.length
    if (missing < 1) return undefined
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail]
  }
  const word = (i: number): number => (groups[i] ?? 0) * 0x10000 + (groups[i + 1] ?? 0)
  return [word(0), word(2), word(4), word(6)]
}

/**
 * An IPv4 or IPv6 address (no brackets, zone id or port) as 128 bits, IPv4 mapped to
 * `::ffff:a.b.c.d`; `undefined` for anything else.
 */
export function parseIp(text: string): IpWords | undefined {
  if (text.length === 0 || text.length > MAX_TEXT_LENGTH) return undefined
  if (text.includes(':')) return parseIpv6(text)
  const word = parseIpv4Word(text)
  return word === undefined ? undefined : [0, 0, MAPPED_PREFIX, word]
}

/** The mask word for bits `[32 * index, 32 * index + 32)` of a `prefix`-bit mask. */
function maskWord(prefix: number, index: number): number {
  const bits = Math.min(32, Math.max(0, prefix - 32 * index))
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
}

export type CidrResult = { ok: true; block: CidrBlock } | { ok: false; error: string }

/**
 * `a.b.c.d`, `a.b.c.d/n` (0–32), an IPv6 address or `addr/n` (0–128). Bits after the prefix must
 * be zero: `10.0.0.1/8` is refused (a typo there would silently widen the rule).
 */
export function parseCidr(text: string): CidrResult {
  if (text.length === 0 || text.length > MAX_TEXT_LENGTH) {
    return { ok: false, error: `must be 1–${String(MAX_TEXT_LENGTH)} characters` }
  }
  const slash = text.indexOf('/')
  const addressText = slash < 0 ? text : text.slice(0, slash)
  const ipv6 = addressText.includes(':')
  const address = parseIp(addressText)
  if (address === undefined) {
    return { ok: false, error: `${ipv6 ? 'IPv6' : 'IPv4'} address is not valid` }
  }
  const familyMax = ipv6 ? 128 : 32
  let length = familyMax
  if (slash >= 0) {
    const parsed = parseDecimal(text.slice(slash + 1), familyMax)
    if (parsed === undefined) {
      return { ok: false, error: `prefix length must be a number from 0 to ${String(familyMax)}` }
    }
    length = parsed
  }
  const prefix = ipv6 ? length : 96 + length
  const mask: IpWords = [
    maskWord(prefix, 0),
    maskWord(prefix, 1),
    maskWord(prefix, 2),
    maskWord(prefix, 3),
  ]
  const network: IpWords = [
    (address[0] & mask[0]) >>> 0,
    (address[1] & mask[1]) >>> 0,
    (address[2] & mask[2]) >>> 0,
    (address[3] & mask[3]) >>> 0,
  ]
  if (network.some((w, i) => w !== address[i])) {
    return { ok: false, error: 'has bits set after the prefix length (use the network address)' }
  }
  return { ok: true, block: { network, mask, prefix } }
}

export function cidrContains(block: CidrBlock, ip: IpWords): boolean {
  return (
    (ip[0] & block.mask[0]) >>> 0 === block.network[0] &&
    (ip[1] & block.mask[1]) >>> 0 === block.network[1] &&
    (ip[2] & block.mask[2]) >>> 0 === block.network[2] &&
    (ip[3] & block.mask[3]) >>> 0 === block.network[3]
  )
}

export function anyContains(blocks: readonly CidrBlock[], ip: IpWords): boolean {
  for (const block of blocks) if (cidrContains(block, ip)) return true
  return false
}
