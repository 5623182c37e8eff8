/** Helpers for RateLimiter tests: fresh objects, an injected clock, D1 usage reads. */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import type { RateLimiter } from '../../src/durable-objects/rate-limiter'
import { limiterStub } from '../../src/rate-limit/limiter-client'
import type { UsageWriter } from '../../src/storage/usage-writer'

let serial = 0

/** A stub of a never-used object (unique name per call). */
export function freshStub(label: string): DurableObjectStub<RateLimiter> {
  serial += 1
  return limiterStub(env, `test:${label}:${serial}:${crypto.randomUUID()}`)
}

/** A settable clock installed in the object (instance field; re-install after an eviction). */
export async function installClock(
  stub: DurableObjectStub<RateLimiter>,
  start: number
): Promise<{ set: (t: number) => void; advance: (ms: number) => void }> {
  let now = start
  await runInDurableObject(stub, (instance: RateLimiter) => {
    instance.now = () => now
  })
  return {
    set: (t) => {
      now = t
    },
    advance: (ms) => {
      now += ms
    },
  }
}

/** Replaces the object's usage writer. */
export async function installWriter(
  stub: DurableObjectStub<RateLimiter>,
  writer: UsageWriter
): Promise<void> {
  await runInDurableObject(stub, (instance: RateLimiter) => {
    instance.writer = writer
  })
}

/** D1 `used` for (plan, key, day), or undefined without a row. */
export async function usedInD1(planId: string, keyId: string, day: string) {
  const row = await env.DB.prepare(
    'SELECT used FROM usage WHERE usage_plan_id = ?1 AND key_id = ?2 AND day = ?3'
  )
    .bind(planId, keyId, day)
    .first<{ used: number }>()
  return row?.used
}
