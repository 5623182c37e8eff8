/**
 * The Cache API behind one small interface (replaceable in tests), the capped body reader used
 * for the store copy, and a tracker of pending writes. Failure policy: the cache is an
 * optimisation — a `match`/`put`/`delete` that throws never fails the request; it is logged and
 * the request goes to the integration (fail open is safe: nothing is served that was not stored
 * for this exact key).
 */
import { readCapped } from '../../streams/read-capped'

export interface CacheStore {
  match(key: Request): Promise<Response | undefined>
  put(key: Request, response: Response): Promise<void>
  delete(key: Request): Promise<boolean>
}

/** The location's cache (`caches.default`); keys live on a private origin (cache-key.ts). */
export const EDGE_CACHE: CacheStore = {
  match: (key) => caches.default.match(key),
  put: (key, response) => caches.default.put(key, response),
  delete: (key) => caches.default.delete(key),
}

/** Logs a cache failure (no key material: the hash only identifies an entry). */
export function logCacheFailure(requestId: string, op: string, cause: unknown): void {
  console.log(
    JSON.stringify({
      level: 'error',
      event: 'cache_failure',
      op,
      requestId,
      cause: cause instanceof Error ? cause.message : String(cause),
    })
  )
}

/**
 * Reads `stream` fully if it holds at most `max` bytes; otherwise cancels it and returns
 * `undefined` (the other branch of a tee keeps streaming to the client).
 */
export function readUpTo(
  stream: ReadableStream<unknown>,
  max: number
): Promise<Uint8Array | undefined> {
  // Response bodies carry bytes; anything else is not something to store.
  return readCapped(stream, max, {
    overCapReason: 'over the cache body cap',
    notBytesReason: 'not a byte stream',
  })
}

const pending = new Set<Promise<unknown>>()

/** Registers a background cache write (also handed to `waitUntil` by the caller). */
export function trackWrite<T>(write: Promise<T>): Promise<T> {
  pending.add(write)
  void write.finally(() => pending.delete(write)).catch(() => undefined)
  return write
}

/** Resolves when every cache write started in this isolate so far has finished (tests, bench). */
export async function cacheWritesSettled(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending])
}
