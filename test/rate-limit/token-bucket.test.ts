import { describe, expect, it } from 'vitest'
import {
  MAX_RETRY_AFTER_MS,
  type BucketState,
  fullBucket,
  giveBack,
  refill,
  take,
  takeUpTo,
} from '../../src/rate-limit/token-bucket'
import type { ThrottleSettings } from '../../src/rate-limit/types'

const empty = (now: number): BucketState => ({ tokens: 0, updatedAt: now })

describe('token bucket', () => {
  it('starts full and admits exactly burstLimit requests when rateLimit is 0', () => {
    const settings = { burstLimit: 5, rateLimit: 0 }
    let state = fullBucket(settings, 0)
    const allowed: boolean[] = []
    for (let i = 0; i < 8; i++) {
      const result = take(state, settings, i * 60_000)
      state = result.state
      allowed.push(result.allowed)
    }
    expect(allowed.filter(Boolean)).toHaveLength(5)
    expect(take(state, settings, 10 ** 12)).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfterMs: MAX_RETRY_AFTER_MS,
    })
  })

  it.each([
    { rate: 2, at: 0, allowed: false, retryAfterMs: 500 },
    { rate: 2, at: 499, allowed: false, retryAfterMs: 2 },
    { rate: 2, at: 500, allowed: true, retryAfterMs: 0 },
    { rate: 0.5, at: 0, allowed: false, retryAfterMs: 2000 },
    { rate: 0.5, at: 1999, allowed: false, retryAfterMs: 1 },
    { rate: 0.5, at: 2000, allowed: true, retryAfterMs: 0 },
    { rate: 1000, at: 1, allowed: true, retryAfterMs: 0 },
  ])('refills at $rate tokens/s: at +$at ms allowed=$allowed', ({ rate, at, allowed, ...rest }) => {
    const settings = { burstLimit: 10, rateLimit: rate }
    const result = take(empty(0), settings, at)
    expect(result.allowed).toBe(allowed)
    expect(result.retryAfterMs).toBe(rest.retryAfterMs)
  })

  it('forgives float error of fractional rates (0.1/s for 10 s is one token)', () => {
    const settings = { burstLimit: 1, rateLimit: 0.1 }
    let state = empty(0)
    for (let t = 1000; t <= 10_000; t += 1000) state = refill(state, settings, t)
    expect(take(state, settings, 10_000).allowed).toBe(true)
  })

  it('never fills past burstLimit, and a lowered burstLimit caps the bucket', () => {
    expect(refill(empty(0), { burstLimit: 3, rateLimit: 100 }, 60_000).tokens).toBe(3)
    const full = fullBucket({ burstLimit: 100, rateLimit: 0 }, 0)
    expect(take(full, { burstLimit: 10, rateLimit: 0 }, 1).remaining).toBe(9)
  })

  it('mints no tokens when the clock jumps backwards, nor twice when it comes back', () => {
    const settings: ThrottleSettings = { burstLimit: 10, rateLimit: 1 }
    const back = take(empty(10_000), settings, 0)
    expect(back.allowed).toBe(false)
    expect(back.state.updatedAt).toBe(10_000)
    expect(take(back.state, settings, 10_999).allowed).toBe(false)
    const again = take(back.state, settings, 11_000)
    expect(again.allowed).toBe(true)
    expect(take(again.state, settings, 11_000).allowed).toBe(false)
  })

  it('says retry much later when a cost can never be met', () => {
    expect(
      take(fullBucket({ burstLimit: 2, rateLimit: 5 }, 0), { burstLimit: 2, rateLimit: 5 }, 0, 3)
    ).toMatchObject({ allowed: false, retryAfterMs: MAX_RETRY_AFTER_MS })
  })

  it('takes whole tokens up to what is there and gives back no more than the bucket holds', () => {
    const settings = { burstLimit: 10, rateLimit: 0 }
    const taken = takeUpTo({ tokens: 3.7, updatedAt: 0 }, settings, 0, 5)
    expect(taken.taken).toBe(3)
    expect(taken.state.tokens).toBeCloseTo(0.7)
    expect(giveBack({ tokens: 9, updatedAt: 0 }, settings, 5).tokens).toBe(10)
  })
})
