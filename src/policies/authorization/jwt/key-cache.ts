/**
 * The in-isolate JWKS cache, one entry per key source:
 * - fresh for the provider's `Cache-Control: max-age`, clamped to [60 s, 1 h], else 10 min;
 * - concurrent requests on a cold or expired entry share one in-flight fetch;
 * - stale-if-error: when a refresh fails, the last good keys serve for up to 1 h more;
 * - after a failure, no new fetch for 5 s (a down provider costs one timeout per 5 s, not one
 *   per request);
 * - an unknown `kid` refetches at most once per 30 s cool-down (a burst of random kids is one
 *   fetch, not a fetch each).
 * A cold entry whose fetch fails throws `KeysUnavailable`: never a pass.
 */
import type { Fetcher } from './key-fetch'
import { keySourceId, loadKeySet, type KeySet, type KeySource, type LoadedKeySet } from './key-set'

export const DEFAULT_TTL_MS = 10 * 60_000
export const MIN_TTL_MS = 60_000
export const MAX_TTL_MS = 60 * 60_000
export const STALE_IF_ERROR_MS = 60 * 60_000
export const FAILURE_BACKOFF_MS = 5_000
export const UNKNOWN_KID_COOLDOWN_MS = 30_000
/** Distinct key sources kept per isolate; the oldest is dropped past this. */
export const MAX_SOURCES = 256

/** No usable keys: the provider failed and nothing good is cached (→ 500, never a pass). */
export class KeysUnavailable extends Error {
  override readonly name = 'KeysUnavailable'
}

interface Entry {
  keys: KeySet | undefined
  freshUntil: number
  staleUntil: number
  lastFetchStarted: number
  noFetchBefore: number
  lastError: string
  inflight: Promise<KeySet | undefined> | undefined
}

export interface KeyCacheOptions {
  readonly now: () => number
  readonly fetcher: Fetcher
  readonly load?: (source: KeySource, fetcher: Fetcher) => Promise<LoadedKeySet>
}

function ttlFor(maxAgeSeconds: number | undefined): number {
  if (maxAgeSeconds === undefined) return DEFAULT_TTL_MS
  return Math.min(MAX_TTL_MS, Math.max(MIN_TTL_MS, maxAgeSeconds * 1000))
}

export class KeyCache {
  private readonly entries = new Map<string, Entry>()
  private readonly load: NonNullable<KeyCacheOptions['load']>

  constructor(private readonly options: KeyCacheOptions) {
    this.load = options.load ?? loadKeySet
  }

  /** Usable keys for `source`: cached, refreshed, or stale after a failed refresh. */
  async keys(source: KeySource): Promise<KeySet> {
    const entry = this.entry(source)
    const now = this.options.now()
    if (entry.keys !== undefined && now < entry.freshUntil) return entry.keys
    const refreshed =
      entry.inflight ?? (now >= entry.noFetchBefore ? this.refresh(entry, source) : undefined)
    const keys = (await refreshed) ?? this.stale(entry)
    if (keys === undefined) throw new KeysUnavailable(entry.lastError)
    return keys
  }

  /**
   * A token named a `kid` that `current` lacks: refetch if the cool-down allows, and return the
   * new keys when they differ from `current`; otherwise undefined.
   */
  async keysForUnknownKid(source: KeySource, current: KeySet): Promise<KeySet | undefined> {
    const entry = this.entry(source)
    const now = this.options.now()
    let pending = entry.inflight
    if (pending === undefined) {
      if (now - entry.lastFetchStarted < UNKNOWN_KID_COOLDOWN_MS || now < entry.noFetchBefore) {
        return entry.keys === current ? undefined : entry.keys
      }
      pending = this.refresh(entry, source)
    }
    const keys = await pending
    return keys === undefined || keys === current ? undefined : keys
  }

  private stale(entry: Entry): KeySet | undefined {
    return this.options.now() < entry.staleUntil ? entry.keys : undefined
  }

  private entry(source: KeySource): Entry {
    const id = keySourceId(source)
    const found = this.entries.get(id)
    if (found !== undefined) return found
    if (this.entries.size >= MAX_SOURCES) {
      const oldest = this.entries.keys().next()
      if (oldest.done !== true) this.entries.delete(oldest.value)
    }
    const created: Entry = {
      keys: undefined,
      freshUntil: 0,
      staleUntil: 0,
      lastFetchStarted: Number.NEGATIVE_INFINITY,
      noFetchBefore: 0,
      lastError: 'keys not fetched yet',
      inflight: undefined,
    }
    this.entries.set(id, created)
    return created
  }

  /** One fetch for everyone waiting; resolves to the new keys, or undefined on failure. */
  private refresh(entry: Entry, source: KeySource): Promise<KeySet | undefined> {
    const started = this.options.now()
    entry.lastFetchStarted = started
    const pending = this.load(source, this.options.fetcher).then(
      (loaded) => {
        const fresh = started + ttlFor(loaded.maxAgeSeconds)
        entry.keys = loaded.keys
        entry.freshUntil = fresh
        entry.staleUntil = fresh + STALE_IF_ERROR_MS
        entry.noFetchBefore = 0
        return loaded.keys
      },
      (error: unknown) => {
        entry.lastError = error instanceof Error ? error.message : String(error)
        entry.noFetchBefore = this.options.now() + FAILURE_BACKOFF_MS
        return undefined
      }
    )
    entry.inflight = pending.finally(() => {
      entry.inflight = undefined
    })
    return entry.inflight
  }
}
