/**
 * Whether a response may be stored, and for how long (pure; RFC 9111 §3 for a shared cache).
 * Never stored: 206 and 304, non-2xx unless `cacheNonSuccessResponses`, `Set-Cookie`,
 * `Cache-Control: no-store | private | no-cache` (in any form — Portico does not revalidate, so a
 * response that demands revalidation is simply not stored), `Vary: *`, bodies declared over the
 * cap, and responses to a request with `Authorization` on a route that is not identity-keyed
 * unless the response allows it (`public`, `s-maxage`, `must-revalidate`, RFC 9111 §3.5).
 * TTL = min(stage/route TTL, the upstream's freshness lifetime minus its `Age`).
 */
import { deltaSeconds, parseCacheControl, type Directives } from './cache-control'

/** Largest body stored (declared or counted). */
export const MAX_CACHED_BODY_BYTES = 1024 * 1024

export type StoreDecision =
  | { readonly store: true; readonly ttlSeconds: number; readonly upstreamAgeSeconds: number }
  | { readonly store: false; readonly reason: string }

export interface StoreOptions {
  readonly configTtlSeconds: number
  readonly cacheNonSuccessResponses: boolean
  /** The request carried `Authorization` and the entry is not per caller. */
  readonly sharedAuthorizedRequest: boolean
  /** The request said `Cache-Control: no-store` (RFC 9111 §5.2.1.5). */
  readonly requestNoStore: boolean
  /** epoch ms */
  readonly now: number
}

const no = (reason: string): StoreDecision => ({ store: false, reason })

/** RFC 9111 §4.2.1: s-maxage, then max-age, then Expires − Date; `undefined` = not given. */
function freshnessLifetime(cc: Directives, headers: Headers, now: number): number | undefined {
  const shared = deltaSeconds(cc, 's-maxage') ?? deltaSeconds(cc, 'max-age')
  if (shared !== undefined) return shared
  const expires = headers.get('expires')
  if (expires === null) return undefined
  const expiresAt = Date.parse(expires)
  // RFC 9111 §5.3: an invalid Expires (e.g. "0") means already expired.
  if (Number.isNaN(expiresAt)) return 0
  const date = Date.parse(headers.get('date') ?? '')
  const base = Number.isNaN(date) ? now : date
  return Math.max(0, Math.floor((expiresAt - base) / 1000))
}

/** RFC 9111 §5.1: the upstream's `Age` (invalid → 0). */
export function upstreamAge(headers: Headers): number {
  // RFC 9111 §5.1: a list-valued Age uses its first member; an invalid value is ignored.
  const first = headers.get('age')?.split(',')[0]?.trim()
  return first !== undefined && /^\d+$/.test(first) ? Number(first) : 0
}

function varyForbids(headers: Headers): boolean {
  const vary = headers.get('vary')
  return vary !== null && vary.split(',').some((f) => f.trim() === '*')
}

function statusRefused(status: number, nonSuccess: boolean): string | undefined {
  if (status === 206) return 'partial content'
  if (status === 304) return 'not modified'
  if ((status < 200 || status > 299) && !nonSuccess) return `status ${String(status)}`
  return undefined
}

function directivesRefuse(cc: Directives, options: StoreOptions): string | undefined {
  if (options.requestNoStore) return 'request no-store'
  for (const name of ['no-store', 'private', 'no-cache']) {
    if (cc.has(name)) return name
  }
  if (
    options.sharedAuthorizedRequest &&
    !cc.has('public') &&
    !cc.has('s-maxage') &&
    !cc.has('must-revalidate')
  ) {
    return 'authorization without public/s-maxage/must-revalidate'
  }
  return undefined
}

/** Decides whether to store a response with this status and these headers. */
export function decideStore(
  status: number,
  headers: Headers,
  options: StoreOptions
): StoreDecision {
  const byStatus = statusRefused(status, options.cacheNonSuccessResponses)
  if (byStatus !== undefined) return no(byStatus)
  if (headers.has('set-cookie')) return no('set-cookie')
  const cc = parseCacheControl(headers.get('cache-control'))
  const byDirective = directivesRefuse(cc, options)
  if (byDirective !== undefined) return no(byDirective)
  if (varyForbids(headers)) return no('vary *')
  const length = headers.get('content-length')
  if (length !== null && Number(length) > MAX_CACHED_BODY_BYTES) return no('too large')
  const age = upstreamAge(headers)
  const lifetime = freshnessLifetime(cc, headers, options.now)
  const ttl =
    lifetime === undefined
      ? options.configTtlSeconds
      : Math.min(options.configTtlSeconds, lifetime - age)
  if (ttl <= 0) return no('already stale')
  return { store: true, ttlSeconds: ttl, upstreamAgeSeconds: age }
}
