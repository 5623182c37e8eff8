/**
 * Loading one authorizer's verification keys: the JWKS itself, or OIDC discovery first when no
 * `jwksUri` is configured. Each fetched set becomes one jose local key set, built once per fetch
 * (it selects by `kid`, `alg`/`kty`/`crv`, `use` and `key_ops`, and imports each key once).
 */
import { createLocalJWKSet } from 'jose'
import { checkJwksUrl } from './jwks-url'
import { fetchKeyDocument, KeyFetchError, type Fetcher } from './key-fetch'

/** Most keys accepted in one JWKS: bounds the work of matching a token's header. */
export const MAX_JWKS_KEYS = 100

/** Where an authorizer's keys come from; `allowLoopback` also governs a discovered `jwks_uri`. */
export type KeySource =
  | { readonly kind: 'jwks'; readonly url: URL; readonly allowLoopback: boolean }
  | {
      readonly kind: 'discovery'
      readonly url: URL
      readonly issuer: string
      readonly allowLoopback: boolean
    }

/** A usable key set: jose's key resolver plus the `kid`s it holds. */
export interface KeySet {
  readonly resolve: ReturnType<typeof createLocalJWKSet>
  readonly kids: ReadonlySet<string>
}

export interface LoadedKeySet {
  readonly keys: KeySet
  readonly maxAgeSeconds: number | undefined
}

const SOURCE_IDS = new WeakMap<KeySource, string>()

/** One cache entry per distinct source (memoised: fixed sources are built once per route). */
export function keySourceId(source: KeySource): string {
  let id = SOURCE_IDS.get(source)
  if (id === undefined) {
    id = `${source.kind}:${source.allowLoopback ? 'loopback' : 'public'}:${source.url.href}`
    SOURCE_IDS.set(source, id)
  }
  return id
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Builds a key set from a JWKS document; throws `KeyFetchError` when it is not one. */
export function parseKeySet(json: unknown): KeySet {
  if (!isRecord(json) || !Array.isArray(json.keys)) {
    throw new KeyFetchError('the JWKS document has no "keys" array')
  }
  if (json.keys.length > MAX_JWKS_KEYS) {
    throw new KeyFetchError(`the JWKS has more than ${String(MAX_JWKS_KEYS)} keys`)
  }
  const keys: unknown[] = json.keys
  let resolve: KeySet['resolve']
  try {
    resolve = createLocalJWKSet({ keys: keys.filter(isRecord) })
  } catch (error) {
    throw new KeyFetchError(`the JWKS is malformed: ${String(error)}`)
  }
  const kids = new Set<string>()
  for (const key of keys) if (isRecord(key) && typeof key.kid === 'string') kids.add(key.kid)
  return { resolve, kids }
}

/** The discovered `jwks_uri`, checked like a configured one. */
async function discoverJwksUrl(
  source: Extract<KeySource, { kind: 'discovery' }>,
  fetcher: Fetcher
): Promise<URL> {
  const { json } = await fetchKeyDocument(source.url, fetcher)
  if (!isRecord(json) || typeof json.jwks_uri !== 'string') {
    throw new KeyFetchError('the discovery document has no "jwks_uri"')
  }
  // OIDC Discovery 1.0 §4.3: the document's issuer must be the one it was fetched for.
  if (json.issuer !== source.issuer) {
    throw new KeyFetchError('the discovery document names another issuer')
  }
  const checked = checkJwksUrl(json.jwks_uri, source.allowLoopback)
  if (!checked.ok) throw new KeyFetchError(`the discovered jwks_uri is refused: ${checked.error}`)
  return checked.value
}

/** Fetches and parses the key set named by `source`. Throws `KeyFetchError`. */
export async function loadKeySet(source: KeySource, fetcher: Fetcher): Promise<LoadedKeySet> {
  const url = source.kind === 'jwks' ? source.url : await discoverJwksUrl(source, fetcher)
  const { json, maxAgeSeconds } = await fetchKeyDocument(url, fetcher)
  return { keys: parseKeySet(json), maxAgeSeconds }
}
