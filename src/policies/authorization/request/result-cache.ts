/**
 * The request authorizers' result cache, one per isolate: decisions (never errors, never
 * "Unauthorized") keyed by a SHA-256 over (API, stage, deployment, authorizer id, identity-source
 * values), for the authorizer's TTL. Bounded twice — entries and bytes — with least-recently-used
 * eviction. A cached policy is re-evaluated against each request's ARN, so (as on AWS) it also
 * decides other methods and paths of the API while it lives.
 *
 * The key is a digest of a JSON array: values that contain separators (`,`, `/`, quotes) cannot
 * make two different tuples meet, and no token is kept in memory in clear text.
 */
import type { AuthorizerDecision } from './decision'

/** Entries one isolate keeps at most. */
export const MAX_CACHE_ENTRIES = 10_000
/** Summed answer sizes one isolate keeps at most (isolates have 128 MB). */
export const MAX_CACHE_BYTES = 16 * 1024 * 1024

/** Who a cache entry belongs to, for keys and for flushes. */
export interface CacheScope {
  readonly apiId: string
  readonly stage: string
  readonly deploymentId: string
  /** The stage's `authorizerCacheGeneration` (FlushStageAuthorizersCache bumps it). */
  readonly generation: number
  readonly authorizerId: string
}

interface Entry {
  readonly decision: AuthorizerDecision
  readonly expiresAt: number
  readonly bytes: number
  /** `apiId/stage`, what a stage flush removes. */
  readonly stageScope: string
}

/** The cache key of one identity tuple: hex SHA-256 of the JSON array of every part. */
export async function resultCacheKey(
  scope: CacheScope,
  identity: readonly string[]
): Promise<string> {
  const text = JSON.stringify([
    scope.apiId,
    scope.stage,
    scope.deploymentId,
    scope.generation,
    scope.authorizerId,
    ...identity,
  ])
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

function stageScopeOf(apiId: string, stage: string): string {
  return `${apiId}/${stage}`
}

/** LRU map with per-entry expiry (a Map iterates in insertion order: first = least recent). */
export class AuthorizerResultCache {
  private readonly entries = new Map<string, Entry>()
  private bytes = 0

  constructor(
    private readonly maxEntries = MAX_CACHE_ENTRIES,
    private readonly maxBytes = MAX_CACHE_BYTES
  ) {}

  get size(): number {
    return this.entries.size
  }

  /** The live decision under `key`, refreshed as most recently used. */
  get(key: string, now: number): AuthorizerDecision | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    this.remove(key, entry)
    if (entry.expiresAt <= now) return undefined
    this.entries.set(key, entry)
    this.bytes += entry.bytes
    return entry.decision
  }

  set(
    key: string,
    decision: AuthorizerDecision,
    options: { scope: CacheScope; ttlMs: number; bytes: number; now: number }
  ): void {
    if (options.ttlMs <= 0 || options.bytes > this.maxBytes) return
    const existing = this.entries.get(key)
    if (existing !== undefined) this.remove(key, existing)
    this.entries.set(key, {
      decision,
      expiresAt: options.now + options.ttlMs,
      bytes: options.bytes,
      stageScope: stageScopeOf(options.scope.apiId, options.scope.stage),
    })
    this.bytes += options.bytes
    for (const [oldKey, oldEntry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break
      this.remove(oldKey, oldEntry)
    }
  }

  /** Drops every entry of (apiId, stage); returns how many. */
  flushStage(apiId: string, stage: string): number {
    const scope = stageScopeOf(apiId, stage)
    let removed = 0
    for (const [key, entry] of this.entries) {
      if (entry.stageScope === scope) {
        this.remove(key, entry)
        removed++
      }
    }
    return removed
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key)
    this.bytes -= entry.bytes
  }
}

/** The isolate's cache, shared by every request authorizer. */
export const ISOLATE_RESULT_CACHE = new AuthorizerResultCache()

/**
 * FlushStageAuthorizersCache: drops this isolate's cached results of (apiId, stage). Other
 * isolates keep theirs until their TTL (≤ 3600 s) ends — docs/request-authorizers.md.
 */
export function flushAuthorizerResults(apiId: string, stage: string): number {
  return ISOLATE_RESULT_CACHE.flushStage(apiId, stage)
}
