/**
 * In-isolate cache of key lookups by hash, in front of D1. Entries live `CACHE_TTL_MS`, positive
 * and negative alike: that is the revocation bound — disabling, deleting or unlinking a key takes
 * effect in every isolate within it (docs/api-keys.md "Enforcement"), and a newly created key
 * works within it. Concurrent lookups of one hash share a single D1 query.
 */
import type { KeyLookupResult } from '../../storage/usage-plan-types'

/** How long a lookup result is reused (ms). The documented revocation bound. */
export const CACHE_TTL_MS = 3_000
/** Memory cap (entries); the oldest are dropped first. */
const MAX_ENTRIES = 10_000

/** `null`: no such key. */
export type Lookup = KeyLookupResult | null

interface Entry {
  value: Lookup
  expiresAt: number
}

/** Cache of `hash → lookup` with a TTL and single-flight loads. */
export class KeyCache {
  readonly #entries = new Map<string, Entry>()
  readonly #inFlight = new Map<string, Promise<Lookup>>()

  constructor(private readonly ttlMs = CACHE_TTL_MS) {}

  /** A fresh cached lookup, or `undefined` when it must be loaded. */
  peek(hash: string, now: number): Lookup | undefined {
    const entry = this.#entries.get(hash)
    if (entry === undefined) return undefined
    if (now >= entry.expiresAt) {
      this.#entries.delete(hash)
      return undefined
    }
    return entry.value
  }

  /**
   * Loads `hash` with `load` unless a load is already running; stores the result. A failed load
   * is not cached (the next request retries D1) and rejects every waiter.
   */
  load(hash: string, load: () => Promise<Lookup>, now: () => number): Promise<Lookup> {
    const running = this.#inFlight.get(hash)
    if (running !== undefined) return running
    const promise = load()
      .then((value) => {
        this.#store(hash, value, now())
        return value
      })
      .finally(() => {
        this.#inFlight.delete(hash)
      })
    this.#inFlight.set(hash, promise)
    return promise
  }

  #store(hash: string, value: Lookup, now: number): void {
    this.#entries.delete(hash)
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
    this.#entries.set(hash, { value, expiresAt: now + this.ttlMs })
  }
}
