import { describe, expect, it } from 'vitest'
import type { StageConfig } from '../../../src/config/types'
import type { QuotaSettings, ThrottleSettings } from '../../../src/rate-limit/types'
import { dataPlane, seedApi } from '../../support/seed'
import {
  ECHO,
  flushedUsage,
  freshIp,
  hits,
  insertKey,
  insertPlan,
  keyedRoute,
  statuses,
} from '../support'

const ROUTES = [
  keyedRoute('r1', 'GET /pets'),
  keyedRoute('r2', 'POST /pets'),
  keyedRoute('r3', 'GET /pets/{id}'),
  keyedRoute('r4', 'GET /free', false),
]

async function planApi(
  limits: { throttle?: ThrottleSettings; quota?: QuotaSettings },
  perMethod?: Record<string, ThrottleSettings>,
  stageExtras?: Partial<StageConfig>
) {
  const seeded = await seedApi({
    routes: ROUTES,
    integrations: [ECHO],
    ...(stageExtras ? { stageExtras } : {}),
  })
  const apiStage = {
    apiId: seeded.apiId,
    stage: 'dev',
    ...(perMethod ? { throttle: perMethod } : {}),
  }
  const planId = await insertPlan({ ...limits, apiStages: [apiStage] })
  return { ...seeded, planId }
}

function call(host: string, key: string, tag: string, path = '/dev/pets', method = 'GET') {
  return dataPlane(host, path, {
    method,
    headers: { 'x-api-key': key, 'x-test-tag': tag, 'cf-connecting-ip': freshIp() },
  })
}

describe('usage plan throttling', () => {
  for (const round of [1, 2, 3]) {
    it(`admits exactly 50 of 200 concurrent requests on a burst of 50 without refill (round ${String(round)})`, async () => {
      const { host, planId } = await planApi({ throttle: { burstLimit: 50, rateLimit: 0 } })
      const key = await insertKey([planId])
      const tag = crypto.randomUUID()
      const all = await Promise.all(Array.from({ length: 200 }, () => call(host, key.value, tag)))
      expect(statuses(all)).toEqual({ 200: 50, 429: 150 })
      const rejected = all.find((r) => r.status === 429)
      expect(await rejected?.json()).toEqual({ message: 'Too Many Requests' })
      expect(rejected?.headers.get('x-amzn-ErrorType')).toBe('TooManyRequestsException')
      expect(await hits(tag)).toBe(50)
      await Promise.all(all.filter((r) => !r.bodyUsed).map((r) => r.arrayBuffer()))
    })
  }

  it('admits exactly the quota under concurrent requests across routes and records it in D1', async () => {
    const quota: QuotaSettings = { limit: 30, period: 'DAY', offset: 0 }
    const { host, planId } = await planApi({ quota })
    const key = await insertKey([planId])
    const tag = crypto.randomUUID()
    const targets: [string, string][] = [
      ['/dev/pets', 'GET'],
      ['/dev/pets', 'POST'],
      ['/dev/pets/7', 'GET'],
    ]
    const all = await Promise.all(
      Array.from({ length: 90 }, (_, i) => {
        const [path, method] = targets[i % targets.length] ?? ['/dev/pets', 'GET']
        return call(host, key.value, tag, path, method)
      })
    )
    expect(statuses(all)).toEqual({ 200: 30, 429: 60 })
    const rejected = all.find((r) => r.status === 429)
    expect(await rejected?.json()).toEqual({ message: 'Limit Exceeded' })
    expect(rejected?.headers.get('x-amzn-ErrorType')).toBe('LimitExceededException')
    expect(await hits(tag)).toBe(30)
    expect(await flushedUsage(planId, key.id)).toBe(30)
  })

  it('counts rejected requests of another key against nothing (per-key objects)', async () => {
    const { host, planId } = await planApi({ throttle: { burstLimit: 2, rateLimit: 0 } })
    const a = await insertKey([planId])
    const b = await insertKey([planId])
    const tag = crypto.randomUUID()
    for (let i = 0; i < 4; i++) await call(host, a.value, tag)
    expect((await call(host, b.value, tag)).status).toBe(200)
    expect(await flushedUsage(planId, a.id)).toBe(2)
    expect(await flushedUsage(planId, b.id)).toBe(1)
  })

  it('answers Retry-After and RateLimit headers carrying only this key’s bucket', async () => {
    const { host, planId } = await planApi({
      throttle: { burstLimit: 2, rateLimit: 0.5 },
      quota: { limit: 100, period: 'DAY', offset: 0 },
    })
    const key = await insertKey([planId])
    const tag = crypto.randomUUID()
    const first = await call(host, key.value, tag)
    expect(first.status).toBe(200)
    expect(first.headers.get('RateLimit-Policy')).toBe('"burst";q=2;w=4, "quota";q=100;w=86400')
    expect(first.headers.get('RateLimit')).toMatch(/^"burst";r=1;t=[1-4], "quota";r=99;t=\d+$/)
    await call(host, key.value, tag)
    const denied = await call(host, key.value, tag)
    expect(denied.status).toBe(429)
    const retryAfter = Number(denied.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(2)
    expect(denied.headers.get('RateLimit-Policy')).toBe('"burst";q=2;w=4, "quota";q=100;w=86400')
    expect(denied.headers.get('RateLimit')).toMatch(/^"burst";r=0;t=[1-4], "quota";r=98;t=\d+$/)
    expect(denied.headers.get('RateLimit')).not.toContain(key.id)
  })

  it('answers a spent quota with Retry-After until the end of the UTC day', async () => {
    const { host, planId } = await planApi({ quota: { limit: 1, period: 'DAY', offset: 0 } })
    const key = await insertKey([planId])
    const tag = crypto.randomUUID()
    expect((await call(host, key.value, tag)).status).toBe(200)
    const denied = await call(host, key.value, tag)
    expect(denied.status).toBe(429)
    const now = new Date()
    const endOfDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)
    const expected = Math.ceil((endOfDay - Date.now()) / 1000)
    expect(Math.abs(Number(denied.headers.get('Retry-After')) - expected)).toBeLessThanOrEqual(5)
    expect(denied.headers.get('RateLimit')).toMatch(/^"quota";r=0;t=\d+$/)
  })

  it('applies the per-method override /path/METHOD of the plan’s API stage', async () => {
    const { host, planId } = await planApi(
      { throttle: { burstLimit: 10, rateLimit: 0 } },
      { '/pets/GET': { burstLimit: 1, rateLimit: 0 } }
    )
    const key = await insertKey([planId])
    const tag = crypto.randomUUID()
    const first = await call(host, key.value, tag)
    expect(first.status).toBe(200)
    expect(first.headers.get('RateLimit-Policy')).toBe('"burst";q=1')
    expect((await call(host, key.value, tag)).status).toBe(429)
    expect(await hits(tag)).toBe(1)
  })

  it('keeps a per-method override in its own bucket: it does not drain the plan-wide one', async () => {
    const { host, planId } = await planApi(
      { throttle: { burstLimit: 3, rateLimit: 0 } },
      { '/pets/GET': { burstLimit: 2, rateLimit: 0 } }
    )
    const key = await insertKey([planId])
    const tag = crypto.randomUUID()
    // Interleaved and concurrent: GET /pets (override, burst 2) and POST /pets (plan, burst 3).
    const all = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(host, key.value, tag, '/dev/pets', i % 2 === 0 ? 'GET' : 'POST')
      )
    )
    const gets = all.filter((_, i) => i % 2 === 0)
    const posts = all.filter((_, i) => i % 2 === 1)
    expect(statuses(gets)).toEqual({ 200: 2, 429: 8 })
    expect(statuses(posts)).toEqual({ 200: 3, 429: 7 })
    expect(gets[0]?.headers.get('RateLimit-Policy')).toBe('"burst";q=2')
    expect(posts[0]?.headers.get('RateLimit-Policy')).toBe('"burst";q=3')
    expect(await hits(tag)).toBe(5)
    expect(await flushedUsage(planId, key.id)).toBe(5)
    await Promise.all(all.map((r) => r.arrayBuffer()))
  })

  it('shares the plan quota between a per-method override and the other methods', async () => {
    const { host, planId } = await planApi(
      {
        throttle: { burstLimit: 10, rateLimit: 0 },
        quota: { limit: 4, period: 'DAY', offset: 0 },
      },
      { '/pets/GET': { burstLimit: 10, rateLimit: 0 } }
    )
    const key = await insertKey([planId])
    const tag = crypto.randomUUID()
    for (let i = 0; i < 3; i++) expect((await call(host, key.value, tag)).status).toBe(200)
    expect((await call(host, key.value, tag, '/dev/pets', 'POST')).status).toBe(200)
    const denied = await call(host, key.value, tag, '/dev/pets', 'POST')
    expect(denied.status).toBe(429)
    expect(await denied.json()).toEqual({ message: 'Limit Exceeded' })
    expect(await hits(tag)).toBe(4)
  })

  it('does not consume quota for requests rejected by the API-key check', async () => {
    const { host, planId } = await planApi({ quota: { limit: 5, period: 'DAY', offset: 0 } })
    const key = await insertKey([planId])
    const tag = crypto.randomUUID()
    for (let i = 0; i < 3; i++) await call(host, 'ptk_wrong_0123456789abcdef', tag)
    const ok = await call(host, key.value, tag)
    expect(ok.headers.get('RateLimit')).toMatch(/^"quota";r=4;t=\d+$/)
    expect(await flushedUsage(planId, key.id)).toBe(1)
  })
})

describe('stage and route default throttling', () => {
  it('limits requests without keys by the stage default, with headers', async () => {
    const { host } = await planApi({}, undefined, {
      defaultRouteSettings: { throttlingBurstLimit: 3, throttlingRateLimit: 0 },
    })
    const tag = crypto.randomUUID()
    const results = []
    for (let i = 0; i < 5; i++) {
      results.push(await dataPlane(host, '/dev/free', { headers: { 'x-test-tag': tag } }))
    }
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429, 429])
    expect(results[0]?.headers.get('RateLimit-Policy')).toBe('"burst";q=3')
    expect(results[4]?.headers.get('RateLimit')).toBe('"burst";r=0')
    expect(await hits(tag)).toBe(3)
  })

  it('lets a route setting override the stage default', async () => {
    const { host } = await planApi({}, undefined, {
      defaultRouteSettings: { throttlingBurstLimit: 100, throttlingRateLimit: 0 },
      routeSettings: { 'GET /free': { throttlingBurstLimit: 1 } },
    })
    expect((await dataPlane(host, '/dev/free')).status).toBe(200)
    expect((await dataPlane(host, '/dev/free')).status).toBe(429)
  })

  it('adds no limiter call and no headers to a route without limits', async () => {
    const { host } = await planApi({})
    const res = await dataPlane(host, '/dev/free')
    expect(res.status).toBe(200)
    expect(res.headers.get('RateLimit-Policy')).toBeNull()
  })
})
