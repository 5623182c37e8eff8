/**
 * Host header → plane and API (DESIGN §3): the admin host, `{apiId}.{EXECUTE_API_DOMAIN}`, or a
 * custom domain name with base-path mappings; plus the stage segment of execute-api paths.
 */
import type { ApiMappingConfig, DomainNameConfig } from '../config/types'
import { canonicalizePath, decodeSegment } from './canonical-path'

export type HostTarget =
  | { kind: 'admin' }
  | { kind: 'execute-api'; apiId: string }
  | { kind: 'custom'; hostname: string }
  | { kind: 'invalid'; reason: string }

export interface HostVars {
  EXECUTE_API_DOMAIN: string
  ADMIN_HOSTNAME: string
}

const API_ID = /^[a-z0-9]{10}$/
/** RFC 1123 §2.1 label: letters, digits, hyphen; not starting or ending with a hyphen. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const PORT = /^[0-9]{1,5}$/
const IPV6 = /^\[[0-9a-f:.]{2,45}\]$/
const IPV4 = /^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$/

function normalizeName(name: string): string {
  const lower = name.toLowerCase()
  return lower.endsWith('.') ? lower.slice(0, -1) : lower
}

/** Lower-cased hostname without port and trailing dot, or a reason it is malformed. */
function parseHost(host: string): { hostname: string } | { reason: string } {
  if (host === '') return { reason: 'empty host' }
  if (host.length > 260) return { reason: 'host too long' }
  let hostname = host.toLowerCase()
  let port: string | undefined
  if (hostname.startsWith('[')) {
    const close = hostname.indexOf(']')
    if (close < 0) return { reason: 'unclosed IPv6 literal' }
    const after = hostname.slice(close + 1)
    if (after !== '' && !after.startsWith(':')) return { reason: 'junk after IPv6 literal' }
    if (after !== '') port = after.slice(1)
    hostname = hostname.slice(0, close + 1)
    if (!IPV6.test(hostname)) return { reason: 'malformed IPv6 literal' }
  } else {
    const colon = hostname.indexOf(':')
    if (colon >= 0) {
      port = hostname.slice(colon + 1)
      hostname = hostname.slice(0, colon)
    }
    if (hostname.endsWith('.')) hostname = hostname.slice(0, -1)
    if (hostname === '' || hostname.length > 253) return { reason: 'malformed host name' }
    if (!hostname.split('.').every((label) => LABEL.test(label))) {
      return { reason: 'malformed host name' }
    }
  }
  if (port !== undefined && (!PORT.test(port) || Number(port) > 65535)) {
    return { reason: 'malformed port' }
  }
  return { hostname }
}

/**
 * Classifies a request by its `Host` header. IP literals are `custom` (a domain lookup then
 * finds nothing); names under the execute-api domain must be exactly `{apiId}.{domain}`.
 */
export function classifyHost(hostHeader: string | null, vars: HostVars): HostTarget {
  if (hostHeader === null) return { kind: 'invalid', reason: 'no host' }
  const parsed = parseHost(hostHeader)
  if ('reason' in parsed) return { kind: 'invalid', reason: parsed.reason }
  const { hostname } = parsed
  if (hostname === normalizeName(vars.ADMIN_HOSTNAME)) return { kind: 'admin' }
  const suffix = '.' + normalizeName(vars.EXECUTE_API_DOMAIN)
  if (hostname.endsWith(suffix)) {
    const apiId = hostname.slice(0, -suffix.length)
    return API_ID.test(apiId)
      ? { kind: 'execute-api', apiId }
      : { kind: 'invalid', reason: 'not an API id under the execute-api domain' }
  }
  if (hostname === suffix.slice(1)) return { kind: 'invalid', reason: 'bare execute-api domain' }
  return { kind: 'custom', hostname }
}

/**
 * Domain documents to try for a hostname, most specific first: the exact name, then the wildcard
 * `*.parent` that covers exactly one more label (never a wildcard over a TLD or an IP).
 */
export function domainLookupNames(hostname: string): string[] {
  const name = normalizeName(hostname)
  const dot = name.indexOf('.')
  if (dot < 0 || name.startsWith('[') || IPV4.test(name)) return [name]
  const parent = name.slice(dot + 1)
  return parent.includes('.') ? [name, `*.${parent}`] : [name]
}

/** The canonical prefix a mapping key stands for (`''` → root), or undefined when unusable. */
function mappingPrefix(key: string): string | undefined {
  if (key === '') return ''
  const canonical = canonicalizePath('/' + key)
  if (!canonical.ok || canonical.value.endsWith('/')) return undefined
  return canonical.value
}

/** Usable mappings of one domain document with their prefixes, longest prefix first. */
type MappingPrefixes = readonly { mapping: ApiMappingConfig; prefix: string }[]

/** Per domain document (loaded once, reused by every request until it changes). */
const prefixCache = new WeakMap<DomainNameConfig, MappingPrefixes>()

function mappingPrefixes(domain: DomainNameConfig): MappingPrefixes {
  let cached = prefixCache.get(domain)
  if (cached === undefined) {
    const usable: { mapping: ApiMappingConfig; prefix: string }[] = []
    for (const mapping of domain.mappings) {
      const prefix = mappingPrefix(mapping.apiMappingKey)
      if (prefix !== undefined) usable.push({ mapping, prefix })
    }
    // Stable sort: among equal prefixes the first mapping wins, as before.
    cached = usable.sort((a, b) => b.prefix.length - a.prefix.length)
    prefixCache.set(domain, cached)
  }
  return cached
}

/**
 * The base-path mapping serving a canonical path: the longest `apiMappingKey` that ends on a
 * segment boundary (`v1` serves `/v1` and `/v1/x`, never `/v10`). The remaining path always
 * starts with `/` (`/v1` and `/v1/` both leave `/`). Mapping keys are canonicalized once per
 * domain document, not per request.
 */
export function matchApiMapping(
  domain: DomainNameConfig,
  canonicalPath: string
): { mapping: ApiMappingConfig; remainingPath: string } | undefined {
  for (const { mapping, prefix } of mappingPrefixes(domain)) {
    const boundary = canonicalPath.charAt(prefix.length)
    if (!canonicalPath.startsWith(prefix) || (boundary !== '' && boundary !== '/')) continue
    const rest = canonicalPath.slice(prefix.length)
    return { mapping, remainingPath: rest === '' ? '/' : rest }
  }
  return undefined
}

/**
 * Splits `/{stage}/rest` (execute-api URLs): the first segment, decoded, is the stage; `rest`
 * always starts with `/` (`/prod` and `/prod/` give `/`). Undefined for `/` (no stage segment).
 */
export function splitStage(canonicalPath: string): { stage: string; rest: string } | undefined {
  if (!canonicalPath.startsWith('/') || canonicalPath === '/') return undefined
  const slash = canonicalPath.indexOf('/', 1)
  const first = slash < 0 ? canonicalPath.slice(1) : canonicalPath.slice(1, slash)
  if (first === '') return undefined
  const rest = slash < 0 ? '/' : canonicalPath.slice(slash)
  return { stage: decodeSegment(first), rest }
}
