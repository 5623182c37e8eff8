import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { RateLimiter } from '../../src/durable-objects/rate-limiter'
import { type UsageWriter, writeUsage } from '../../src/storage/usage-writer'
import { freshStub, installClock, installWriter, usedInD1 } from './limiter-harness'

const DAY1 = Date.parse('2024-05-01T10:00:00Z')
const DAY2 = Date.parse('2024-05-02T10:00:00Z')

function ids() {
  return { planId: `plan-${crypto.randomUUID()}`, keyId: `key-${crypto.randomUUID()}` }
}

async function admit(
  stub: DurableObjectStub<RateLimiter>,
  n: number,
  usage: ReturnType<typeof ids>
) {
  const results = await Promise.all(Array.from({ length: n }, () => stub.consume({ usage })))
  expect(results.every((r) => r.allowed)).toBe(true)
}

describe('RateLimiter usage flush', () => {
  it('writes the same D1 totals however often it flushes', async () => {
    const stub = freshStub('flush')
    await installClock(stub, DAY1)
    const usage = ids()
    await admit(stub, 7, usage)
    expect(await stub.flushUsage()).toEqual({ written: 1 })
    expect(await stub.flushUsage()).toEqual({ written: 0 })
    expect(await usedInD1(usage.planId, usage.keyId, '2024-05-01')).toBe(7)
    await admit(stub, 3, usage)
    await stub.flushUsage()
    await stub.flushUsage()
    expect(await usedInD1(usage.planId, usage.keyId, '2024-05-01')).toBe(10)
  })

  it('counts only admitted requests', async () => {
    const stub = freshStub('admitted-only')
    await installClock(stub, DAY1)
    const usage = ids()
    const request = { usage, throttle: { burstLimit: 4, rateLimit: 0 } }
    await Promise.all(Array.from({ length: 30 }, () => stub.consume(request)))
    await stub.flushUsage()
    expect(await usedInD1(usage.planId, usage.keyId, '2024-05-01')).toBe(4)
  })

  it('keeps totals pending when D1 fails and writes them exactly on retry', async () => {
    const stub = freshStub('flush-fail')
    const clock = await installClock(stub, DAY1)
    const usage = ids()
    await admit(stub, 5, usage)
    clock.set(DAY2)
    await admit(stub, 2, usage)
    let calls = 0
    // Fails halfway: the first row reaches D1, then the "connection" drops.
    const halfway: UsageWriter = async (db, rows) => {
      calls += 1
      if (calls === 1) {
        await writeUsage(db, rows.slice(0, 1))
        throw new Error('D1 unavailable')
      }
      await writeUsage(db, rows)
    }
    await installWriter(stub, halfway)
    // Whoever flushes first (this call or the object's own alarm) hits the failure.
    await stub.flushUsage().catch(() => undefined)
    await admit(stub, 1, usage)
    await stub.flushUsage()
    expect(calls).toBeGreaterThanOrEqual(2)
    expect(await usedInD1(usage.planId, usage.keyId, '2024-05-01')).toBe(5)
    expect(await usedInD1(usage.planId, usage.keyId, '2024-05-02')).toBe(3)
  })

  it('flushes from its alarm and reschedules the alarm after a failure', async () => {
    const stub = freshStub('alarm')
    await installClock(stub, DAY1)
    const usage = ids()
    let fail = true
    await installWriter(stub, async (db, rows) => {
      if (fail) throw new Error('D1 unavailable')
      await writeUsage(db, rows)
    })
    await admit(stub, 4, usage)
    // The alarm is due in seconds; run it now (a real firing first would fail the same way).
    await runDurableObjectAlarm(stub)
    expect(await usedInD1(usage.planId, usage.keyId, '2024-05-01')).toBeUndefined()
    const next = await runInDurableObject(stub, (_i: RateLimiter, state) =>
      state.storage.getAlarm()
    )
    expect(next).not.toBeNull()
    fail = false
    await runDurableObjectAlarm(stub)
    expect(await usedInD1(usage.planId, usage.keyId, '2024-05-01')).toBe(4)
  })

  it('runs concurrent flushes one at a time without double counting', async () => {
    const stub = freshStub('flush-concurrent')
    await installClock(stub, DAY1)
    const usage = ids()
    await admit(stub, 9, usage)
    await Promise.all([stub.flushUsage(), admit(stub, 1, usage), stub.flushUsage()])
    await stub.flushUsage()
    expect(await usedInD1(usage.planId, usage.keyId, '2024-05-01')).toBe(10)
    const rows = await env.DB.prepare('SELECT COUNT(*) AS n FROM usage WHERE key_id = ?1')
      .bind(usage.keyId)
      .first<{ n: number }>()
    expect(rows?.n).toBe(1)
  })
})
