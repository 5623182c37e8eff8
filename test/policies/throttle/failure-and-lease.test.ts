import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { GatewayError } from '../../../src/errors/gateway-error'
import type { PolicyHandler, RequestContext } from '../../../src/pipeline/types'
import { FAIL_OPEN_TAG } from '../../../src/policies/throttle/limits'
import { limiterStub, planKeyObjectName } from '../../../src/rate-limit/limiter-client'
import { DEFAULT_LIMITER, type Limiter } from '../../../src/policies/throttle/limiter'
import { buildThrottle } from '../../../src/policies/throttle/throttle-policy'
import type { QuotaSettings, ThrottleSettings } from '../../../src/rate-limit/types'
import type { UsagePlanRecord } from '../../../src/storage/usage-plan-types'
import { makeApi, makeRequestContext, makeRoute } from '../../support/request-context'
import { flushedUsage, insertKey, insertPlan, sleep } from '../support'

const api = makeApi({ id: 'abc123defg' })
const route = makeRoute({ routeKey: 'GET /pets', apiKeyRequired: true })

function plan(
  id: string,
  limits: { throttle?: ThrottleSettings; quota?: QuotaSettings; tags?: Record<string, string> }
): UsagePlanRecord {
  const now = '2026-01-01T00:00:00.000Z'
  return {
    id,
    name: id,
    apiStages: [{ apiId: api.id, stage: 'dev' }],
    createdDate: now,
    lastUpdatedDate: now,
    ...limits,
  }
}

function ctxFor(usagePlan: UsagePlanRecord, keyId: string): RequestContext {
  return makeRequestContext({
    api,
    route,
    request: '/dev/pets',
    identity: { apiKeyId: keyId, usagePlan },
  })
}

/** The real objects, with every call counted. */
function counting(base: Limiter = DEFAULT_LIMITER) {
  const calls = { consume: 0, lease: 0, release: [] as { name: string; unused: number }[] }
  const limiter: Limiter = {
    consume: (e, n, r) => {
      calls.consume++
      return base.consume(e, n, r)
    },
    lease: (e, n, r, w) => {
      calls.lease++
      return base.lease(e, n, r, w)
    },
    release: (e, n, id, unused) => {
      calls.release.push({ name: n, unused })
      return base.release(e, n, id, unused)
    },
  }
  return { limiter, calls }
}

const failing = (error: Error) => {
  const calls = { consume: 0 }
  const limiter: Limiter = {
    consume: () => {
      calls.consume++
      return Promise.reject(error)
    },
    lease: () => Promise.reject(error),
    release: () => Promise.reject(error),
  }
  return { limiter, calls }
}

async function run(handler: PolicyHandler, ctx: RequestContext): Promise<string> {
  try {
    await handler(ctx, () => Promise.resolve(new Response('upstream')))
    return 'admitted'
  } catch (e) {
    if (e instanceof GatewayError) return e.type
    throw e
  }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('limiter store failures', () => {
  it('fails closed with 503 and Retry-After when the object throws, without calling upstream', async () => {
    const { limiter } = failing(new Error('Durable Object reset'))
    const handler = buildThrottle({ api, route, integration: undefined, limiter })
    const next = vi.fn(() => Promise.resolve(new Response('upstream')))
    const ctx = ctxFor(plan('p1', { throttle: { burstLimit: 5, rateLimit: 1 } }), 'k1')
    const error = await handler(ctx, next).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(GatewayError)
    if (!(error instanceof GatewayError)) return
    expect(error.type).toBe('SERVICE_UNAVAILABLE')
    expect(error.detail.headers?.['Retry-After']).toBe('1')
    expect(next).not.toHaveBeenCalled()
  })

  it('never retries an overloaded object', async () => {
    const overloaded = Object.assign(new Error('Durable Object is overloaded'), {
      overloaded: true,
    })
    const { limiter, calls } = failing(overloaded)
    const handler = buildThrottle({ api, route, integration: undefined, limiter })
    const ctx = ctxFor(plan('p1', { quota: { limit: 5, period: 'DAY', offset: 0 } }), 'k1')
    expect(await run(handler, ctx)).toBe('SERVICE_UNAVAILABLE')
    expect(calls.consume).toBe(1)
  })

  it('lets the request through on a plan tagged portico:failOpen=true, and logs it by key id', async () => {
    const log = vi.spyOn(console, 'log')
    const { limiter } = failing(new Error('Durable Object reset'))
    const handler = buildThrottle({ api, route, integration: undefined, limiter })
    const opened = plan('p-open', {
      throttle: { burstLimit: 5, rateLimit: 1 },
      tags: { [FAIL_OPEN_TAG]: 'true' },
    })
    expect(await run(handler, ctxFor(opened, 'k-open'))).toBe('admitted')
    const lines = log.mock.calls.map((c) => String(c[0]))
    const line = lines.find((l) => l.includes('throttle_fail_open'))
    expect(line).toContain('"keyId":"k-open"')
  })

  it('fails closed for stage default throttling (fail-open is a plan opt-in)', async () => {
    const { limiter } = failing(new Error('boom'))
    const handler = buildThrottle({ api, route, integration: undefined, limiter })
    const ctx = makeRequestContext({ api, route, request: '/dev/pets' })
    const limited = {
      ...ctx,
      stage: { ...ctx.stage, defaultRouteSettings: { throttlingBurstLimit: 5 } },
    }
    expect(await run(handler, limited)).toBe('SERVICE_UNAVAILABLE')
  })
})

describe('lease mode for high-rate plans', () => {
  it('admits most requests from a local lease instead of one object call each', async () => {
    const planId = await insertPlan({
      throttle: { burstLimit: 1000, rateLimit: 1000 },
      apiStages: [{ apiId: api.id, stage: 'dev' }],
    })
    const key = await insertKey([planId])
    const usagePlan = plan(planId, { throttle: { burstLimit: 1000, rateLimit: 1000 } })
    const { limiter, calls } = counting()
    const handler = buildThrottle({ api, route, integration: undefined, limiter })
    for (let i = 0; i < 50; i++)
      expect(await run(handler, ctxFor(usagePlan, key.id))).toBe('admitted')
    expect(calls.consume).toBe(0)
    expect(calls.lease).toBeGreaterThanOrEqual(1)
    expect(calls.lease).toBeLessThanOrEqual(5)
  })

  it('never admits more than the quota under concurrency, and returns unused tokens', async () => {
    const limits = {
      throttle: { burstLimit: 1000, rateLimit: 1000 },
      quota: { limit: 120, period: 'DAY', offset: 0 } satisfies QuotaSettings,
    }
    const planId = await insertPlan({ ...limits, apiStages: [{ apiId: api.id, stage: 'dev' }] })
    const key = await insertKey([planId])
    const usagePlan = plan(planId, limits)
    const { limiter, calls } = counting()
    const handler = buildThrottle({ api, route, integration: undefined, limiter })
    const results = await Promise.all(
      Array.from({ length: 300 }, () => run(handler, ctxFor(usagePlan, key.id)))
    )
    const admitted = results.filter((r) => r === 'admitted').length
    expect(admitted).toBeGreaterThan(0)
    expect(admitted).toBeLessThanOrEqual(120)
    expect(results.every((r) => r === 'admitted' || r === 'QUOTA_EXCEEDED')).toBe(true)

    // A fresh key (own object, own quota) leases 100 tokens and spends 3; the other 97 go back
    // to its object before the lease expires, so its usage is 3.
    const other = await insertKey([planId])
    for (let i = 0; i < 3; i++) await run(handler, ctxFor(usagePlan, other.id))
    const ofOther = () => calls.release.filter((r) => r.name.endsWith(`:key:${other.id}`))
    for (let waited = 0; ofOther().length === 0 && waited < 5_000; waited += 100) {
      await sleep(100)
    }
    expect(ofOther().map((r) => r.unused)).toEqual([97])
    expect(await flushedUsage(planId, other.id)).toBe(3)
  })
})

describe('per-method buckets in lease mode', () => {
  it('leases an override from its own bucket and pool, never from the plan-wide ones', async () => {
    // Plan-wide: strict (rate 0). Override: lease mode. Without separate buckets the leases would
    // drain the plan-wide bucket; without separate pools POST would spend GET's leased tokens.
    const planWide = { burstLimit: 1000, rateLimit: 0 }
    const override = { burstLimit: 100, rateLimit: 100 }
    const usagePlan: UsagePlanRecord = {
      ...plan('p-method', { throttle: planWide }),
      apiStages: [{ apiId: api.id, stage: 'dev', throttle: { '/pets/GET': override } }],
    }
    const keyId = `k-${crypto.randomUUID()}`
    const seen: { bucket?: string }[] = []
    const { limiter, calls } = counting({
      ...DEFAULT_LIMITER,
      lease: (e, n, r, w) => {
        seen.push(r.bucket === undefined ? {} : { bucket: r.bucket })
        return DEFAULT_LIMITER.lease(e, n, r, w)
      },
      consume: (e, n, r) => {
        seen.push(r.bucket === undefined ? {} : { bucket: r.bucket })
        return DEFAULT_LIMITER.consume(e, n, r)
      },
    })
    const getHandler = buildThrottle({ api, route, integration: undefined, limiter })
    for (let i = 0; i < 30; i++) {
      expect(await run(getHandler, ctxFor(usagePlan, keyId))).toBe('admitted')
    }
    expect(calls.lease).toBeGreaterThanOrEqual(3)
    expect(calls.consume).toBe(0)
    expect(seen.every((r) => r.bucket === '/pets/GET')).toBe(true)

    const postRoute = makeRoute({ routeKey: 'POST /pets', apiKeyRequired: true })
    const postHandler = buildThrottle({ api, route: postRoute, integration: undefined, limiter })
    const post = makeRequestContext({
      api,
      route: postRoute,
      request: '/dev/pets',
      method: 'POST',
      identity: { apiKeyId: keyId, usagePlan },
    })
    expect(await run(postHandler, post)).toBe('admitted')
    expect(calls.consume).toBe(1)
    expect(seen.at(-1)).toEqual({})
    // The plan-wide bucket lost only the POST's token (1000 − 1 − 1 after this call).
    const stub = limiterStub(env, planKeyObjectName(usagePlan.id, keyId))
    expect(await stub.consume({ throttle: planWide })).toMatchObject({
      allowed: true,
      remaining: 998,
    })
  })
})
