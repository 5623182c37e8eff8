import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { CACHE_TTL_MS } from '../../../src/policies/api-key/key-cache'
import { MAX_MISSES } from '../../../src/policies/api-key/miss-limiter'
import { dataPlane, seedApi } from '../../support/seed'
import { ECHO, freshIp, hits, insertKey, insertPlan, keyedRoute, sleep, statuses } from '../support'

async function keyedApi() {
  const seeded = await seedApi({
    routes: [keyedRoute('r1', 'GET /pets'), keyedRoute('r2', 'GET /open', false)],
    integrations: [ECHO],
  })
  const planId = await insertPlan({ apiStages: [{ apiId: seeded.apiId, stage: 'dev' }] })
  return { ...seeded, planId }
}

function call(host: string, key: string | undefined, tag: string, ip = freshIp()) {
  const headers: Record<string, string> = { 'x-test-tag': tag, 'cf-connecting-ip': ip }
  if (key !== undefined) headers['x-api-key'] = key
  return dataPlane(host, '/dev/pets', { headers })
}

async function expectForbidden(res: Response): Promise<void> {
  expect(res.status).toBe(403)
  expect(await res.json()).toEqual({ message: 'Forbidden' })
  expect(res.headers.get('x-amzn-ErrorType')).toBe('ForbiddenException')
}

describe('API keys on apiKeyRequired routes', () => {
  it('passes a valid key with a plan for this stage; the upstream sees the request once', async () => {
    const { host, planId } = await keyedApi()
    const key = await insertKey([planId])
    const tag = crypto.randomUUID()
    const res = await call(host, key.value, tag)
    expect(res.status).toBe(200)
    expect(await hits(tag)).toBe(1)
  })

  it('rejects a missing key with 403 Forbidden and no upstream call', async () => {
    const { host } = await keyedApi()
    const tag = crypto.randomUUID()
    await expectForbidden(await call(host, undefined, tag))
    await expectForbidden(await call(host, '', tag))
    expect(await hits(tag)).toBe(0)
  })

  it('rejects an unknown key with 403 Forbidden and no upstream call', async () => {
    const { host } = await keyedApi()
    const tag = crypto.randomUUID()
    await expectForbidden(await call(host, 'ptk_not_a_key_0123456789abcdef', tag))
    await expectForbidden(await call(host, 'x'.repeat(5000), tag))
    expect(await hits(tag)).toBe(0)
  })

  it('rejects a disabled key with 403 Forbidden and no upstream call', async () => {
    const { host, planId } = await keyedApi()
    const key = await insertKey([planId], false)
    const tag = crypto.randomUUID()
    await expectForbidden(await call(host, key.value, tag))
    expect(await hits(tag)).toBe(0)
  })

  it('rejects a key whose plans do not cover this stage with 403 and no upstream call', async () => {
    const { host, apiId } = await keyedApi()
    const otherStage = await insertPlan({ apiStages: [{ apiId, stage: 'prod' }] })
    const otherApi = await insertPlan({ apiStages: [{ apiId: 'zzzzzzzzzz', stage: 'dev' }] })
    const planless = await insertKey([])
    const elsewhere = await insertKey([otherStage, otherApi])
    const tag = crypto.randomUUID()
    await expectForbidden(await call(host, planless.value, tag))
    await expectForbidden(await call(host, elsewhere.value, tag))
    expect(await hits(tag)).toBe(0)
  })

  it('leaves routes without apiKeyRequired alone', async () => {
    const { host } = await keyedApi()
    const res = await dataPlane(host, '/dev/open')
    expect(res.status).toBe(200)
  })

  it('stops honouring a key disabled in D1 within the cache bound', async () => {
    const { host, planId } = await keyedApi()
    const key = await insertKey([planId])
    const tag = crypto.randomUUID()
    expect((await call(host, key.value, tag)).status).toBe(200)
    await env.DB.prepare('UPDATE api_keys SET enabled = 0 WHERE id = ?').bind(key.id).run()
    await sleep(CACHE_TTL_MS + 200)
    await expectForbidden(await call(host, key.value, tag))
    expect(await hits(tag)).toBe(1)
  })

  it('stops honouring a key deleted from D1 within the cache bound', async () => {
    const { host, planId } = await keyedApi()
    const key = await insertKey([planId])
    const tag = crypto.randomUUID()
    expect((await call(host, key.value, tag)).status).toBe(200)
    await env.DB.prepare('DELETE FROM api_keys WHERE id = ?').bind(key.id).run()
    await sleep(CACHE_TTL_MS + 200)
    await expectForbidden(await call(host, key.value, tag))
    expect(await hits(tag)).toBe(1)
  })

  it('admits 50 concurrent first requests of one valid key (one shared lookup)', async () => {
    const { host, planId } = await keyedApi()
    const key = await insertKey([planId])
    const tag = crypto.randomUUID()
    const all = await Promise.all(Array.from({ length: 50 }, () => call(host, key.value, tag)))
    expect(statuses(all)).toEqual({ 200: 50 })
    expect(await hits(tag)).toBe(50)
  })
})

describe('brute-force brake on unknown keys', () => {
  it(`refuses a client IP with 429 after ${String(MAX_MISSES)} unknown keys, even for a key created since`, async () => {
    const { host, planId } = await keyedApi()
    const ip = freshIp()
    const tag = crypto.randomUUID()
    for (let i = 0; i < MAX_MISSES; i++) {
      await expectForbidden(await call(host, `ptk_guess_${String(i)}_0123456789abcdef`, tag, ip))
    }
    const blocked = await call(host, 'ptk_guess_next_0123456789abcdef', tag, ip)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('Retry-After'))).toBeGreaterThan(0)
    // A key this isolate has not seen yet would need a D1 query: refused without one.
    const key = await insertKey([planId])
    expect((await call(host, key.value, tag, ip)).status).toBe(429)
    // Another client is not affected, and the key is valid.
    expect((await call(host, key.value, tag, freshIp())).status).toBe(200)
    expect(await hits(tag)).toBe(1)
  })

  it('keeps serving a cached valid key to a blocked IP (shared egress)', async () => {
    const { host, planId } = await keyedApi()
    const key = await insertKey([planId])
    const ip = freshIp()
    const tag = crypto.randomUUID()
    expect((await call(host, key.value, tag, ip)).status).toBe(200)
    // Concurrently, so the valid key is still cached when the brake engages.
    await Promise.all(
      Array.from({ length: MAX_MISSES + 1 }, (_, i) =>
        call(host, `ptk_bad_${String(i)}_0123456789ab`, tag, ip)
      )
    )
    expect((await call(host, 'ptk_bad_more_0123456789abcdef', tag, ip)).status).toBe(429)
    expect((await call(host, key.value, tag, ip)).status).toBe(200)
  })

  it('ignores X-Forwarded-For: spoofing it does not escape the brake', async () => {
    const { host } = await keyedApi()
    const ip = freshIp()
    for (let i = 0; i < MAX_MISSES; i++) {
      await dataPlane(host, '/dev/pets', {
        headers: { 'cf-connecting-ip': ip, 'x-api-key': `ptk_xff_${String(i)}_0123456789ab` },
      })
    }
    const res = await dataPlane(host, '/dev/pets', {
      headers: {
        'cf-connecting-ip': ip,
        'x-forwarded-for': freshIp(),
        'x-api-key': 'ptk_xff_last_0123456789abcdef',
      },
    })
    expect(res.status).toBe(429)
  })
})
