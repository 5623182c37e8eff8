/**
 * An isolate-memory cache of config lookups with an LRU bound. KV is the source of truth; this
 * keeps the hot path free of KV reads. Bound: an answer is never older than `ttlMs`. In the second
 * half of the window a request triggers a background refresh (`waitUntil`), so under traffic the
 * synchronous reload at `ttlMs` is rare.
 */
import { localConfigGeneration } from './local-changes'

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
      if (age < this.options.ttlMs / 2) return slot.value
      if (age < this.options.ttlMs) {
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
    let value: T
    try {
      value = await this.load(key, previous)
    } catch (e) {
      // `load` turns expected failures into values; anything else keeps the last good answer.
      if (previous === undefined) throw e
      console.error(JSON.stringify({ level: 'error', event: 'config_refresh_threw', key }))
      value = previous
    }
    this.slots.delete(key) // re-insert to keep LRU order
    this.slots.set(key, { value, fetchedAt: Date.now(), generation, refreshing: false })
    if (this.slots.size > this.options.maxEntries) {
      const oldest = this.slots.keys().next()
      if (oldest.done !== true) this.slots.delete(oldest.value)
    }
    return value
  }
}
