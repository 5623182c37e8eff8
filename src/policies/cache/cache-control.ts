/**
 * `Cache-Control` parsing (RFC 9111 §5.2): comma-separated directives, names case-insensitive,
 * arguments as token or quoted-string. Unknown directives are kept (and ignored by callers).
 */

/** Directive name (lower case) → argument, or `true` when it has none. */
export type Directives = ReadonlyMap<string, string | true>

const EMPTY: Directives = new Map()

/** Parses one or more `Cache-Control` field values (as `Headers.get` joins them). */
export function parseCacheControl(value: string | null): Directives {
  if (value === null || value.trim() === '') return EMPTY
  const out = new Map<string, string | true>()
  let i = 0
  const n = value.length
  while (i < n) {
    // name
    let start = i
    while (i < n && value[i] !== '=' && value[i] !== ',') i++
    const name = value.slice(start, i).trim().toLowerCase()
    let arg: string | true = true
    if (value[i] === '=') {
      i++
      while (i < n && value[i] === ' ') i++
      if (value[i] === '"') {
        // quoted-string (RFC 9110 §5.6.4), with quoted-pairs
        i++
        let text = ''
        while (i < n && value[i] !== '"') {
          if (value[i] === '\\' && i + 1 < n) i++
          text += value[i] ?? ''
          i++
        }
        i++
        arg = text
        while (i < n && value[i] !== ',') i++
      } else {
        start = i
        while (i < n && value[i] !== ',') i++
        arg = value.slice(start, i).trim()
      }
    }
    i++
    // RFC 9111 §4.2.1: with duplicates, the first occurrence is used.
    if (name !== '' && !out.has(name)) out.set(name, arg)
  }
  return out
}

/**
 * A delta-seconds argument (RFC 9111 §1.2.2), or `undefined` when absent. An invalid argument
 * gives `0`: a cache should treat invalid freshness information as stale (RFC 9111 §4.2.1).
 */
export function deltaSeconds(directives: Directives, name: string): number | undefined {
  const arg = directives.get(name)
  if (arg === undefined) return undefined
  if (arg === true || !/^\d+$/.test(arg)) return 0
  // RFC 9111 §1.2.2: values too large are treated as 2^31.
  return Math.min(Number(arg), 2 ** 31)
}
