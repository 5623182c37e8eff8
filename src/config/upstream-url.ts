/**
 * SSRF guard for integration URIs (SECURITY: "upstream URLs checked for SSRF: private, loopback,
 * link-local, metadata addresses in every notation; userinfo"). Checked when a document is written
 * and again when loaded; a URI whose host comes from a stage variable (`hasTemplatedHost`) can
 * only be checked after substitution, which the stage compile step does.
 *
 * Limits, by design: a Worker has no DNS resolver, so a public name that resolves to a private
 * address (`169.254.169.254.nip.io`, DNS rebinding) cannot be detected here. Cloudflare's own
 * egress does not route to private networks; this guard is about what the config may name.
 */
import { err, ok, type Result } from '../result'
import { MAX_URI_LENGTH } from './limits'

/** Options for `checkUpstreamUrl`. */
export interface UpstreamUrlOptions {
  /** The API's `allowLoopbackUpstreams`: admit 127.0.0.0/8, ::1, localhost, *.localhost only. */
  allowLoopback: boolean
}

type Verdict =
  { kind: 'public' } | { kind: 'loopback'; label: string } | { kind: 'refused'; label: string }
const PUBLIC: Verdict = { kind: 'public' }

// IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates): not globally reachable.
const IPV4_BLOCKS: readonly (readonly [string, number, string])[] = [
  ['0.0.0.0', 8, '"this network" (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'private (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'shared address space (100.64.0.0/10)'],
  ['169.254.0.0', 16, 'link-local / cloud metadata (169.254.0.0/16)'],
  ['172.16.0.0', 12, 'private (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'documentation (192.0.2.0/24)'],
  ['192.88.99.0', 24, '6to4 relay anycast (192.88.99.0/24)'],
  ['192.168.0.0', 16, 'private (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'documentation (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'documentation (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'multicast (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'reserved / broadcast (240.0.0.0/4)'],
]

function ipv4ToInt(dotted: string): number {
  return dotted.split('.').reduce((acc, part) => acc * 256 + Number(part), 0)
}

const IPV4_TABLE = IPV4_BLOCKS.map(([base, bits, label]) => ({
  base: ipv4ToInt(base),
  size: 2 ** (32 - bits),
  label,
}))

function classifyIpv4(value: number): Verdict {
  if (Math.floor(value / 2 ** 24) === 127)
    return { kind: 'loopback', label: 'loopback (127.0.0.0/8)' }
  for (const block of IPV4_TABLE) {
    if (value >= block.base && value < block.base + block.size) {
      return { kind: 'refused', label: block.label }
    }
  }
  return PUBLIC
}

/**
 * An IPv4 address in any notation the WHATWG URL host parser accepts (1–4 parts, each decimal,
 * octal with a leading 0, or hex with 0x), or null. Used on the raw text as a second opinion.
 */
export function parseIpv4Loose(host: string): number | null {
  const parts = host.split('.')
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
  if (parts.length === 0 || parts.length > 4) return null
  const numbers: number[] = []
  for (const part of parts) {
    let n: number
    if (/^0x[0-9a-f]*$/i.test(part)) n = part.length === 2 ? 0 : parseInt(part.slice(2), 16)
    else if (/^0[0-7]+$/.test(part)) n = parseInt(part.slice(1), 8)
    else if (/^(0|[1-9][0-9]*)$/.test(part)) n = Number(part)
    else return null
    numbers.push(n)
  }
  const last = numbers.pop() ?? 0
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return null
  return numbers.reduce((acc, n, i) => acc + n * 256 ** (3 - i), 0) + last
}

/** The eight 16-bit words of an IPv6 address (text form, no brackets), or null. */
export function parseIpv6(text: string): number[] | null {
  let head = text
  const tail: number[] = []
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text)
  if (dotted) {
    const v4 = dotted[2] ?? ''
    if (v4.split('.').some((p) => Number(p) > 255)) return null
    const n = ipv4ToInt(v4)
    tail.push(Math.floor(n / 65536), n % 65536)
    head = (dotted[1] ?? '').endsWith('::') ? (dotted[1] ?? '') : (dotted[1] ?? '').slice(0, -1)
  }
  const halves = head.split('::')
  if (halves.length > 2) return null
  const parse = (s: string): number[] | null => {
    if (s === '') return []
    const words = s.split(':')
    if (!words.every((w) => /^[0-9a-f]{1,4}$/i.test(w))) return null
    return words.map((w) => parseInt(w, 16))
  }
  const left = parse(halves[0] ?? '')
  const right = halves.length === 2 ? parse(halves[1] ?? '') : []
  if (left === null || right === null) return null
  const given = left.length + right.length + tail.length
  if (halves.length === 2 ? given > 7 : given !== 8) return null
  return [...left, ...Array<number>(8 - given).fill(0), ...right, ...tail]
}

function embeddedV4(high: number, low: number): Verdict {
  const inner = classifyIpv4(high * 65536 + low)
  return inner.kind === 'public' ? PUBLIC : { kind: 'refused', label: inner.label }
}

function classifyIpv6(w: readonly number[]): Verdict {
  const at = (i: number): number => w[i] ?? 0
  if (w.slice(0, 7).every((x) => x === 0) && at(7) === 1) {
    return { kind: 'loopback', label: 'loopback (::1)' }
  }
  // ::/64 holds ::, ::1, IPv4-compatible (::/96), IPv4-mapped (::ffff:0:0/96) and SIIT
  // (::ffff:0:0:0/96): an address here reaches an IPv4 host by another name. Refused, all of it.
  if (w.slice(0, 4).every((x) => x === 0)) {
    return { kind: 'refused', label: 'IPv4-mapped/compatible or reserved IPv6 (::/64)' }
  }
  // RFC 6052 NAT64 well-known prefix: as safe as the IPv4 address it embeds.
  if (at(0) === 0x64 && at(1) === 0xff9b && w.slice(2, 6).every((x) => x === 0)) {
    return embeddedV4(at(6), at(7))
  }
  const first = at(0)
  if (first >= 0xfc00 && first <= 0xfdff)
    return { kind: 'refused', label: 'unique local (fc00::/7)' }
  if (first >= 0xfe80 && first <= 0xfebf)
    return { kind: 'refused', label: 'link-local (fe80::/10)' }
  if (first >= 0xfec0 && first <= 0xfeff)
    return { kind: 'refused', label: 'site-local (fec0::/10)' }
  if (first >= 0xff00) return { kind: 'refused', label: 'multicast (ff00::/8)' }
  // Only global unicast (2000::/3) is routable on the internet; the rest is reserved.
  if (first < 0x2000 || first > 0x3fff) return { kind: 'refused', label: 'reserved IPv6' }
  if (first === 0x2001 && at(1) === 0x0db8)
    return { kind: 'refused', label: 'documentation (2001:db8::/32)' }
  if (first === 0x3fff && at(1) <= 0x0fff)
    return { kind: 'refused', label: 'documentation (3fff::/20)' }
  if (first === 0x2001 && at(1) < 0x0200) {
    return { kind: 'refused', label: 'IETF protocol assignments incl. Teredo (2001::/23)' }
  }
  if (first === 0x2002) return embeddedV4(at(1), at(2)) // RFC 3056 6to4
  return PUBLIC
}

// RFC 6761 / RFC 6762 App. G / RFC 8375 names, and well-known cloud metadata names.
const REFUSED_SUFFIXES = [
  'internal',
  'local',
  'localdomain',
  'home.arpa',
  'lan',
  'intranet',
  'corp',
  'home',
  'private',
]
const REFUSED_NAMES = new Set(['metadata', 'metadata.google.internal', 'instance-data'])

function classifyName(hostname: string): Verdict {
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name)) {
    return { kind: 'refused', label: 'not a valid DNS name' }
  }
  if (name === 'localhost' || name.endsWith('.localhost')) {
    return { kind: 'loopback', label: 'loopback (localhost)' }
  }
  if (REFUSED_NAMES.has(name)) return { kind: 'refused', label: 'a cloud metadata name' }
  if (!name.includes('.')) return { kind: 'refused', label: 'a single-label name' }
  for (const suffix of REFUSED_SUFFIXES) {
    if (name.endsWith(`.${suffix}`))
      return { kind: 'refused', label: `a private-use name (.${suffix})` }
  }
  return PUBLIC
}

function classifyHost(hostname: string): Verdict {
  if (hostname.startsWith('[') && hostname.endsWith(']')) {
    const words = parseIpv6(hostname.slice(1, -1))
    return words === null
      ? { kind: 'refused', label: 'an unparseable IPv6 literal' }
      : classifyIpv6(words)
  }
  const v4 = parseIpv4Loose(hostname)
  return v4 === null ? classifyName(hostname) : classifyIpv4(v4)
}

/** The authority as written in the raw text (between `//` and the path/query/fragment). */
function rawAuthority(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1] ?? ''
}

/** Whether the text has whitespace, C0 controls, DEL or a backslash. */
function hasAmbiguousCharacters(url: string): boolean {
  for (let i = 0; i < url.length; i++) {
    const code = url.charCodeAt(i)
    if (code <= 0x20 || code === 0x7f || code === 0x5c || code === 0xa0) return true
  }
  return false
}

/**
 * Whether the URL's scheme or host comes from a `${…}` placeholder (AWS allows
 * `http://${stageVariables.host}/path`). Such a URL cannot be checked when written; callers check
 * it again after substituting stage variables.
 */
export function hasTemplatedHost(url: string): boolean {
  const at = url.indexOf('${')
  if (at === -1) return false
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)
  if (!scheme) return true
  const rest = url.slice(scheme[0].length)
  const end = rest.search(/[/?#]/)
  return at < scheme[0].length + (end === -1 ? rest.length : end)
}

/**
 * Parses an upstream URL and refuses what could reach a private network: non-http(s) schemes,
 * userinfo, backslashes and control characters (parsers disagree on them), and hosts that are
 * private, loopback, link-local, reserved or metadata in any notation. With `allowLoopback`,
 * exactly 127.0.0.0/8, ::1, localhost and *.localhost are let through. Returns the parsed URL or
 * a reason naming the host.
 */
export function checkUpstreamUrl(url: string, options: UpstreamUrlOptions): Result<URL, string> {
  if (url.length > MAX_URI_LENGTH) return err(`URL is longer than ${MAX_URI_LENGTH} characters`)
  if (!/^https?:\/\//i.test(url)) return err('URL must start with http:// or https://')
  // WHATWG silently drops tabs/newlines and reads `\` as `/`; other parsers do not. Ambiguous.
  if (hasAmbiguousCharacters(url)) {
    return err('URL must not contain whitespace, control characters or backslashes')
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return err('URL is not a valid absolute URL')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return err('URL scheme must be http or https')
  }
  const authority = rawAuthority(url)
  if (parsed.username !== '' || parsed.password !== '' || authority.includes('@')) {
    return err('URL must not contain userinfo (user:password@)')
  }
  if (parsed.hostname === '') return err('URL has an empty host')
  // Decide on the parsed host (what fetch will use). WHATWG has already rewritten every IPv4
  // notation (0x7f.1, 2130706433, 0177.0.0.1, 127.1) to dotted decimal; as a second opinion the
  // raw host text is also read as IPv4 in those notations.
  const verdicts: [string, Verdict][] = [[parsed.hostname, classifyHost(parsed.hostname)]]
  const rawV4 = parseIpv4Loose(authority.replace(/:\d*$/, '').toLowerCase())
  if (rawV4 !== null) verdicts.push([parsed.hostname, classifyIpv4(rawV4)])
  for (const [host, verdict] of verdicts) {
    if (verdict.kind === 'refused') return err(`upstream host ${host} is ${verdict.label}`)
    if (verdict.kind === 'loopback' && !options.allowLoopback) {
      return err(
        `upstream host ${host} is ${verdict.label}; allowed only with allowLoopbackUpstreams`
      )
    }
  }
  return ok(parsed)
}
