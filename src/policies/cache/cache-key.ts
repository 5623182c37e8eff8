/**
 * The cache key (DESIGN §2, §4 step 8). What identifies an entry: cache generation (a stage flush
 * bumps it, so old entries are never matched again anywhere), API, stage, method, canonical path,
 * the declared key parameters and — on routes with authorization or API keys, unless the route is
 * `cacheShared` — the caller's identity. The JSON of those parts is hashed (SHA-256) into a URL on
 * a host nobody can request, so an entry can only be reached through this key.
 */
import type { RouteConfig } from '../../config/types'
import type { CallerIdentity, RequestContext } from '../../pipeline/types'
import type { KeyExtractor } from './key-parameters'

/** Never a real host: `.invalid` is reserved (RFC 6761 §6.4). */
export const CACHE_KEY_ORIGIN = 'https://portico-cache.invalid'

/** Whether entries of this route are per caller (AWS has no such rule; Portico's default). */
export function isIdentityKeyed(route: RouteConfig): boolean {
  const authorized =
    route.apiKeyRequired === true ||
    (route.authorizationType !== undefined && route.authorizationType !== 'NONE')
  return authorized && route.cacheShared !== true
}

/**
 * The caller's identity as a key part, or `undefined` when an identity-keyed route has none
 * (the request is then not cached at all: nothing is shared by accident).
 */
export function identityPart(
  identity: CallerIdentity
): readonly [string | null, string | null] | undefined {
  const keyId = identity.apiKeyId ?? null
  const principal = identity.principalId ?? null
  if (keyId === null && principal === null) return undefined
  return [keyId, principal]
}

export interface KeyInput {
  readonly ctx: RequestContext
  /** HEAD is answered from the GET entry. */
  readonly method: string
  readonly extractors: readonly KeyExtractor[]
  readonly identity: readonly [string | null, string | null] | null
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** The Cache API key (a GET request on the private origin) for this request. */
export async function cacheKeyFor(input: KeyInput): Promise<Request> {
  const { ctx } = input
  const parts = [
    'v1',
    ctx.stage.cacheGeneration ?? 0,
    ctx.api.id,
    ctx.stage.name,
    input.method,
    ctx.path,
    input.extractors.map((extract) => extract(ctx)),
    input.identity,
  ]
  const hash = await sha256Hex(JSON.stringify(parts))
  return new Request(`${CACHE_KEY_ORIGIN}/${hash}`, { method: 'GET' })
}
