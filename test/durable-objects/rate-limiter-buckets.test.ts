import { evictDurableObject, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { RateLimiter } from '../../src/durable-objects/rate-limiter'
import type { LimiterState } from '../../src/rate-limit/limiter-state'
import { MAX_BUCKETS } from '../../src/rate-limit/limiter-state'
import type { ConsumeRequest, ConsumeResult } from '../../src/rate-limit/types'
import { freshStub, installClock } from './limiter-harness'

const T0 = Date.parse('2024-03-10T12:00:00Z')
const GET_PETS = '/pets/GET'

const allowed = (results: readonly ConsumeResult[]) => results.filter((r) => r.allowed).length

async function storedState(stub: DurableObjectStub<RateLimiter>) {
  return runInDurableObject(stub, (_instance: RateLimiter, state) =>
    state.storage.kv.get<LimiterState & { bucket?: unknown }>('limiter-state')
  )
}

describe('RateLimiter per-method buckets', () => {
  it('keeps two buckets of one object independent under concurrency (2 + 3 admitted)', async () => {
    for (let round = 0; round < 3; round++) {
      const stub = freshStub('two-buckets')
      await installClock(stub, T0)
      const named: ConsumeRequest = { throttle: { burstLimit: 2, rateLimit: 0 }, bucket: GET_PETS }
      const plain: ConsumeRequest = { throttle: { burstLimit: 3, rateLimit: 0 } }
      // Interleaved, all in flight at once: the object serialises them in arrival order.
      const calls = Array.from({ length: 60 }, (_, i) => ({
        named: i % 2 === 0,
        result: stub.consume(i % 2 === 0 ? named : plain),
      }))
      const results = await Promise.all(calls.map(async (c) => ({ ...c, result: await c.result })))
      expect(allowed(results.filter((r) => r.named).map((r) => r.result))).toBe(2)
      expect(allowed(results.filter((r) => !r.named).map((r) => r.result))).toBe(3)
      expect(results.every((r) => r.result.allowed || r.result.reason === 'THROTTLED')).toBe(true)
      // Each bucket's own numbers: a refused call reports its own bucket, empty.
      expect(await stub.consume(named)).toMatchObject({ allowed: false, remaining: 0 })
      expect(await stub.consume(plain)).toMatchObject({ allowed: false, remaining: 0 })
    }
  })

  it('shares one quota counter across all buckets of the object', async () => {
    const stub = freshStub('shared-quota')
    await installClock(stub, T0)
    const quota = { limit: 5, period: 'DAY' as const, offset: 0 }
    const throttle = { burstLimit: 10, rateLimit: 0 }
    const named: ConsumeRequest = { throttle, quota, bucket: 'A' }
    const plain: ConsumeRequest = { throttle, quota }
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => stub.consume(i % 2 === 0 ? named : plain))
    )
    expect(allowed(results)).toBe(5)
    expect(results.filter((r) => !r.allowed && r.reason === 'QUOTA_EXCEEDED')).toHaveLength(15)
    // Quota rejections took no tokens: each bucket lost only what it admitted.
    const a = await stub.consume({ throttle, bucket: 'A' })
    const d = await stub.consume({ throttle })
    expect(a.remaining + d.remaining).toBe(10 + 10 - 5 - 2)
    expect(await stub.consume({ ...named, bucket: 'B' })).toMatchObject({
      allowed: false,
      reason: 'QUOTA_EXCEEDED',
      quotaRemaining: 0,
    })
  })

  it('migrates a persisted single-bucket state into the default bucket', async () => {
    const stub = freshStub('legacy')
    const dayStart = Date.parse('2024-03-10T00:00:00Z')
    const legacy = {
      bucket: { tokens: 2, updatedAt: T0 },
      quota: { periodStart: dayStart, used: 5 },
      usage: [],
      leases: [
        {
          id: 'old-lease',
          count: 3,
          expiresAt: T0 + 500,
          burstLimit: 5,
          quotaPeriodStart: dayStart,
          day: '2024-03-10',
        },
      ],
    }
    await runInDurableObject(stub, (_instance: RateLimiter, state) => {
      state.storage.kv.put('limiter-state', legacy)
    })
    await evictDurableObject(stub)
    await installClock(stub, T0)
    const quota = { limit: 10, period: 'DAY' as const, offset: 0 }
    const plain: ConsumeRequest = { throttle: { burstLimit: 5, rateLimit: 0 }, quota }
    // The legacy bucket's 2 tokens and the counter's 5 are kept, not reset to full.
    expect(await stub.consume(plain)).toMatchObject({
      allowed: true,
      remaining: 1,
      quotaRemaining: 4,
    })
    // A lease granted before the upgrade returns to the default bucket (and its quota period).
    expect(await stub.release(3, 'old-lease')).toEqual({ returned: 3 })
    expect(await stub.consume(plain)).toMatchObject({ allowed: true, remaining: 3 })
    // A named bucket starts full, separately.
    expect(await stub.consume({ ...plain, bucket: GET_PETS })).toMatchObject({ remaining: 4 })

    const stored = await storedState(stub)
    expect(stored?.bucket).toBeUndefined()
    expect(stored?.buckets['']).toEqual({ tokens: 3, updatedAt: T0 })
    expect(stored?.buckets[GET_PETS]).toEqual({ tokens: 4, updatedAt: T0 })
    // 5 stored + 3 consumed − 3 returned.
    expect(stored?.quota?.used).toBe(5)
  })

  it('keeps the buckets across an eviction', async () => {
    const stub = freshStub('buckets-evict')
    await installClock(stub, T0)
    const named: ConsumeRequest = { throttle: { burstLimit: 4, rateLimit: 0 }, bucket: GET_PETS }
    const plain: ConsumeRequest = { throttle: { burstLimit: 4, rateLimit: 0 } }
    await stub.consume(named)
    await stub.consume(named)
    await stub.consume(plain)
    await evictDurableObject(stub)
    await installClock(stub, T0)
    expect(await stub.consume(named)).toMatchObject({ allowed: true, remaining: 1 })
    expect(await stub.consume(plain)).toMatchObject({ allowed: true, remaining: 2 })
  })

  it('returns leased tokens to the bucket they were leased from', async () => {
    const stub = freshStub('lease-bucket')
    await installClock(stub, T0)
    const throttle = { burstLimit: 100, rateLimit: 0 }
    const grant = await stub.lease({ throttle, bucket: GET_PETS, want: 10 })
    expect(grant).toMatchObject({ granted: 10, remaining: 90 })
    expect(await stub.consume({ throttle })).toMatchObject({ allowed: true, remaining: 99 })
    expect(await stub.release(10, grant.leaseId)).toEqual({ returned: 10 })
    expect(await stub.consume({ throttle, bucket: GET_PETS })).toMatchObject({ remaining: 99 })
    expect(await stub.consume({ throttle })).toMatchObject({ remaining: 98 })
  })

  it(`serves names past ${String(MAX_BUCKETS)} buckets from the default bucket`, async () => {
    const stub = freshStub('bucket-cap')
    await installClock(stub, T0)
    const throttle = { burstLimit: 1, rateLimit: 0 }
    for (let i = 0; i < MAX_BUCKETS; i++) {
      expect(await stub.consume({ throttle, bucket: `/m${String(i)}/GET` })).toMatchObject({
        allowed: true,
      })
    }
    // The default bucket is spent; a name past the cap is refused as the default would be.
    expect(await stub.consume({ throttle })).toMatchObject({ allowed: true })
    expect(await stub.consume({ throttle, bucket: '/extra/GET' })).toMatchObject({
      allowed: false,
      reason: 'THROTTLED',
    })
    // Known names keep their own bucket.
    expect(await stub.consume({ throttle, bucket: '/m0/GET' })).toMatchObject({ allowed: false })
    const stored = await storedState(stub)
    expect(Object.keys(stored?.buckets ?? {})).toHaveLength(MAX_BUCKETS + 1)
    expect(Object.hasOwn(stored?.buckets ?? {}, '/extra/GET')).toBe(false)
  })

  it('treats a name like a prototype property as an ordinary bucket', async () => {
    const stub = freshStub('proto-name')
    await installClock(stub, T0)
    const throttle = { burstLimit: 1, rateLimit: 0 }
    for (const bucket of ['constructor', 'toString']) {
      expect(await stub.consume({ throttle, bucket })).toMatchObject({ allowed: true })
      expect(await stub.consume({ throttle, bucket })).toMatchObject({ allowed: false })
    }
    expect(await stub.consume({ throttle })).toMatchObject({ allowed: true, remaining: 0 })
  })
})
