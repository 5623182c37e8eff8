import { describe, expect, it } from 'vitest'
import type { RateLimiter } from '../../src/durable-objects/rate-limiter'
import {
  LEASE_BURST_DIVISOR,
  LEASE_TTL_MS,
  MAX_OUTSTANDING_LEASES,
  type LeaseGrant,
} from '../../src/rate-limit/lease'
import type { ConsumeRequest } from '../../src/rate-limit/types'
import { freshStub, installClock, usedInD1 } from './limiter-harness'

const T0 = Date.parse('2024-06-03T08:00:00Z')
const sum = (grants: LeaseGrant[]) => grants.reduce((n, g) => n + g.granted, 0)

async function leases(
  stub: DurableObjectStub<RateLimiter>,
  n: number,
  request: ConsumeRequest,
  want: number
) {
  return Promise.all(Array.from({ length: n }, () => stub.lease({ ...request, want })))
}

describe('RateLimiter lease mode', () => {
  it('keeps small buckets strict: a lease holds at most one token', async () => {
    const stub = freshStub('lease-small')
    await installClock(stub, T0)
    const grant = await stub.lease({ throttle: { burstLimit: 10, rateLimit: 0 }, want: 5 })
    expect(grant.granted).toBe(1)
  })

  it('never grants more than the bucket under concurrent leases, each within its cap', async () => {
    const stub = freshStub('lease-bucket')
    await installClock(stub, T0)
    const request = { throttle: { burstLimit: 200, rateLimit: 0 } }
    const grants = await leases(stub, 40, request, 50)
    expect(sum(grants)).toBe(200)
    expect(Math.max(...grants.map((g) => g.granted))).toBe(200 / LEASE_BURST_DIVISOR)
    expect(grants.filter((g) => g.granted === 0).every((g) => g.reason === 'THROTTLED')).toBe(true)
    expect(await stub.consume(request)).toMatchObject({ allowed: false })
  })

  it('never grants more than the quota, and returned tokens can be granted again', async () => {
    const stub = freshStub('lease-quota')
    await installClock(stub, T0)
    const request: ConsumeRequest = {
      throttle: { burstLimit: 1000, rateLimit: 0 },
      quota: { limit: 95, period: 'DAY', offset: 0 },
    }
    const grants = await leases(stub, 20, request, 100)
    expect(sum(grants)).toBe(95)
    const live = grants.filter((g) => g.granted > 0)
    const returned = await Promise.all(live.map((g) => stub.release(g.granted - 1, g.leaseId)))
    const back = returned.reduce((n, r) => n + r.returned, 0)
    expect(back).toBe(95 - live.length)
    const again = await leases(stub, 20, request, 100)
    expect(sum(again)).toBe(back)
    expect(sum(grants) - back + sum(again)).toBeLessThanOrEqual(95)
  })

  it('returns nothing for an unknown, expired or already released lease', async () => {
    const stub = freshStub('lease-release')
    const clock = await installClock(stub, T0)
    const request = { throttle: { burstLimit: 100, rateLimit: 0 } }
    const first = await stub.lease({ ...request, want: 10 })
    expect(await stub.release(10, 'no-such-lease')).toEqual({ returned: 0 })
    expect(await stub.release(50, first.leaseId)).toEqual({ returned: 10 })
    expect(await stub.release(10, first.leaseId)).toEqual({ returned: 0 })
    const second = await stub.lease({ ...request, want: 10 })
    clock.advance(LEASE_TTL_MS)
    expect(await stub.release(10, second.leaseId)).toEqual({ returned: 0 })
    expect(second.ttlMs).toBe(LEASE_TTL_MS)
  })

  it('counts usage as granted minus returned, and expired leases in full', async () => {
    const stub = freshStub('lease-usage')
    const clock = await installClock(stub, T0)
    const usage = { planId: `plan-${crypto.randomUUID()}`, keyId: `key-${crypto.randomUUID()}` }
    const request = { throttle: { burstLimit: 500, rateLimit: 0 }, usage }
    const kept = await stub.lease({ ...request, want: 20 })
    await stub.release(5, kept.leaseId)
    await stub.lease({ ...request, want: 30 })
    clock.advance(LEASE_TTL_MS)
    await stub.flushUsage()
    expect(await usedInD1(usage.planId, usage.keyId, '2024-06-03')).toBe(15 + 30)
  })

  it('credits a returned token only to the quota period that was debited', async () => {
    const stub = freshStub('lease-period')
    const clock = await installClock(stub, Date.parse('2024-06-03T23:59:59.900Z'))
    const request: ConsumeRequest = {
      throttle: { burstLimit: 1000, rateLimit: 0 },
      quota: { limit: 100, period: 'DAY', offset: 0 },
    }
    const grant = await stub.lease({ ...request, want: 40 })
    clock.set(Date.parse('2024-06-04T00:00:00.100Z'))
    expect(await stub.release(40, grant.leaseId)).toEqual({ returned: 40 })
    const next = await stub.lease({ ...request, want: 100 })
    expect(next.quotaRemaining).toBe(0)
    expect(next.granted).toBe(100)
  })

  it('bounds outstanding leases per object', async () => {
    const stub = freshStub('lease-outstanding')
    await installClock(stub, T0)
    const request = { throttle: { burstLimit: 10_000, rateLimit: 0 } }
    const grants = await leases(stub, MAX_OUTSTANDING_LEASES + 5, request, 1)
    expect(sum(grants)).toBe(MAX_OUTSTANDING_LEASES)
    expect(grants.filter((g) => g.granted === 0).every((g) => g.retryAfterMs > 0)).toBe(true)
  })

  it('admits no more than burst + rate × elapsed over a run of concurrent leases', async () => {
    const stub = freshStub('lease-bound')
    const clock = await installClock(stub, T0)
    const throttle = { burstLimit: 100, rateLimit: 50 }
    let granted = 0
    for (let tick = 0; tick < 20; tick++) {
      granted += sum(await leases(stub, 8, { throttle }, 10))
      clock.advance(100)
    }
    const elapsedSeconds = (19 * 100) / 1000
    expect(granted).toBeLessThanOrEqual(throttle.burstLimit + throttle.rateLimit * elapsedSeconds)
    expect(granted).toBeGreaterThanOrEqual(throttle.rateLimit * elapsedSeconds)
  })
})
