/**
 * An isolate-memory cache of config lookups with a freshness window, stale-while-revalidate and
 * an LRU bound. KV is the source of truth; this keeps the hot path free of KV reads. Bound on how
 * stale an answer can be: `ttlMs` while requests keep coming (background refresh), or
 * `ttlMs * STALE_FACTOR` at most after a quiet spell (then refreshed before answering).
 */
import { localConfigGeneration } from './local-changes'

const STALE_FACTOR = 6

interface Slot<T> {
  value: T
  fetchedAt: number
  generation: number
  refreshing: boolean
}

export interface DocCacheOptions {
  ttlMs: number
  maxEntries: number
}

/** `load(key, previous)` returns the new value; it must not throw (errors become values). */
export class DocCache<T> {
  private readonly slots = new Map<string, Slot<T>>()

  constructor(
    private readonly load: (key: string, previous: T | undefined) => Promise<T>,
    private readonly options: DocCacheOptions
  ) {}

  async get(key: string, waitUntil: (p: Promise<unknown>) => void, now = Date.now()): Promise<T> {
    const slot = this.slots.get(key)
    if (slot !== undefined && slot.generation === localConfigGeneration()) {
      const age = now - slot.fetchedAt
      if (age < this.options.ttlMs) return slot.value
      if (age < this.options.ttlMs * STALE_FACTOR) {
        if (!slot.refreshing) {
          slot.refreshing = true
          waitUntil(this.refresh(key, slot.value))
        }
        return slot.value
      }
    }
    return this.refresh(key, slot?.value)
  }

  /** Forget everything (tests, and admin writes in this isolate via the generation counter). */
  clear(): void {
    this.slots.clear()
  }

  private async refresh(key: string, previous: T | undefined): Promise<T> {
    const generation = localConfigGeneration()
    const value = await this.load(key, previous)
    this.slots.delete(key) // re-insert to keep LRU order
    this.slots.set(key, { value, fetchedAt: Date.now(), generation, refreshing: false })
    if (this.slots.size > this.options.maxEntries) {
      const oldest = this.slots.keys().next()
      if (oldest.done !== true) this.slots.delete(oldest.value)
    }
    return value
  }
}
