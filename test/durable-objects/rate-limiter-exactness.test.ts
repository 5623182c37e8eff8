import { evictDurableObject, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { RateLimiter } from '../../src/durable-objects/rate-limiter'
import type { ConsumeRequest, ConsumeResult } from '../../src/rate-limit/types'
import { freshStub, installClock } from './limiter-harness'

const T0 = Date.parse('2024-03-10T12:00:00Z')

async function burst(stub: DurableObjectStub<RateLimiter>, n: number, request: ConsumeRequest) {
  const results: ConsumeResult[] = await Promise.all(
    Array.from({ length: n }, () => stub.consume(request))
  )
  return {
    allowed: results.filter((r) => r.allowed).length,
    throttled: results.filter((r) => !r.allowed && r.reason === 'THROTTLED').length,
    quota: results.filter((r) => !r.allowed && r.reason === 'QUOTA_EXCEEDED').length,
  }
}

describe('RateLimiter exactness', () => {
  it('admits exactly 50 of 200 concurrent calls with burst 50 and no refill, round after round', async () => {
    for (let round = 0; round < 5; round++) {
      const stub = freshStub('burst')
      const counts = await burst(stub, 200, { throttle: { burstLimit: 50, rateLimit: 0 } })
      expect(counts).toEqual({ allowed: 50, throttled: 150, quota: 0 })
    }
  })

  it('admits exactly one bucket per refill on the same object', async () => {
    const stub = freshStub('refill')
    const clock = await installClock(stub, T0)
    for (let round = 0; round < 4; round++) {
      const counts = await burst(stub, 200, { throttle: { burstLimit: 50, rateLimit: 10 } })
      expect(counts.allowed).toBe(50)
      clock.advance(5_000)
    }
  })

  it('admits exactly Q of many concurrent calls under a quota', async () => {
    const stub = freshStub('quota')
    await installClock(stub, T0)
    const request = { quota: { limit: 37, period: 'DAY' as const, offset: 0 } }
    expect(await burst(stub, 150, request)).toEqual({ allowed: 37, throttled: 0, quota: 113 })
    expect(await burst(stub, 20, request)).toEqual({ allowed: 0, throttled: 0, quota: 20 })
  })

  it('does not consume quota for throttled requests nor tokens for quota rejections', async () => {
    const stub = freshStub('no-debit')
    const clock = await installClock(stub, T0)
    const request: ConsumeRequest = {
      throttle: { burstLimit: 5, rateLimit: 1 },
      quota: { limit: 8, period: 'DAY', offset: 0 },
    }
    expect((await burst(stub, 20, request)).allowed).toBe(5)
    expect(await stub.consume(request)).toMatchObject({ allowed: false, quotaRemaining: 3 })
    clock.advance(5_000)
    expect((await burst(stub, 10, request)).allowed).toBe(3)
    expect(await stub.consume(request)).toMatchObject({
      allowed: false,
      reason: 'QUOTA_EXCEEDED',
      remaining: 2,
      quotaRemaining: 0,
    })
  })

  it('answers Retry-After: time to the next token, or to the end of the quota period', async () => {
    const stub = freshStub('retry')
    await installClock(stub, Date.parse('2024-03-10T23:00:00Z'))
    const throttle = { throttle: { burstLimit: 1, rateLimit: 2 } }
    expect(await stub.consume(throttle)).toMatchObject({ allowed: true })
    expect(await stub.consume(throttle)).toMatchObject({ allowed: false, retryAfterMs: 500 })

    const quota = freshStub('retry-quota')
    const qclock = await installClock(quota, Date.parse('2024-03-10T23:00:00Z'))
    const daily = { quota: { limit: 1, period: 'DAY' as const, offset: 0 } }
    expect(await quota.consume(daily)).toMatchObject({ allowed: true, quotaRemaining: 0 })
    const reset = Date.parse('2024-03-11T00:00:00Z')
    expect(await quota.consume(daily)).toMatchObject({
      allowed: false,
      reason: 'QUOTA_EXCEEDED',
      retryAfterMs: 3_600_000,
      quotaResetAt: reset,
    })
    qclock.set(reset - 1)
    expect(await quota.consume(daily)).toMatchObject({ allowed: false, retryAfterMs: 1 })
    qclock.set(reset)
    expect(await quota.consume(daily)).toMatchObject({ allowed: true, quotaRemaining: 0 })
  })

  it('never hands out a fresh quota when the clock jumps back across a boundary', async () => {
    const stub = freshStub('backwards')
    const clock = await installClock(stub, Date.parse('2024-03-11T00:00:05Z'))
    const daily = { quota: { limit: 2, period: 'DAY' as const, offset: 0 } }
    expect(await burst(stub, 2, daily)).toMatchObject({ allowed: 2 })
    clock.set(Date.parse('2024-03-10T23:59:59Z'))
    expect(await stub.consume(daily)).toMatchObject({ allowed: false, reason: 'QUOTA_EXCEEDED' })
  })

  it('keeps the bucket and the quota counter across an eviction', async () => {
    const stub = freshStub('evict')
    await installClock(stub, T0)
    const request: ConsumeRequest = {
      throttle: { burstLimit: 5, rateLimit: 0 },
      quota: { limit: 10, period: 'MONTH', offset: 0 },
    }
    expect((await burst(stub, 3, request)).allowed).toBe(3)
    await evictDurableObject(stub)
    await installClock(stub, T0)
    expect(await stub.consume(request)).toMatchObject({
      allowed: true,
      remaining: 1,
      quotaRemaining: 6,
    })
    const stored = await runInDurableObject(stub, (_instance: RateLimiter, state) =>
      state.storage.kv.get<{ quota?: { used: number } }>('limiter-state')
    )
    expect(stored?.quota?.used).toBe(4)
  })
})
