import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  consumeOnce,
  isOverloaded,
  type LimiterEnv,
  planKeyObjectName,
  routeObjectName,
} from '../../src/rate-limit/limiter-client'

describe('limiter client', () => {
  it('names one object per plan+key and per stage route', () => {
    expect(planKeyObjectName('p1', 'k1')).toBe('plan:p1:key:k1')
    expect(routeObjectName('a1b2c3', 'prod', 'GET /pets')).toBe('route:a1b2c3:prod:GET /pets')
  })

  it('consumes through the real object', async () => {
    const name = planKeyObjectName(`plan-${crypto.randomUUID()}`, 'k')
    const request = { throttle: { burstLimit: 1, rateLimit: 0 } }
    expect(await consumeOnce(env, name, request)).toMatchObject({ allowed: true, remaining: 0 })
    expect(await consumeOnce(env, name, request)).toMatchObject({ allowed: false })
  })

  it('never retries: an overloaded error reaches the caller after one attempt', async () => {
    let calls = 0
    const overloaded = Object.assign(new Error('Durable Object is overloaded.'), {
      overloaded: true,
    })
    const stub = {
      consume: () => {
        calls += 1
        return Promise.reject(overloaded)
      },
    }
    const fake = {
      RATE_LIMITER: { idFromName: (name: string) => name, get: () => stub },
    } as unknown as LimiterEnv
    const error = await consumeOnce(fake, 'plan:p:key:k', {}).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(calls).toBe(1)
    expect(isOverloaded(error)).toBe(true)
    expect(isOverloaded(new Error('network'))).toBe(false)
    expect(isOverloaded('overloaded')).toBe(false)
  })
})
