import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { admin, awsError, deploy, importApi } from './helpers'

interface PlanOut {
  id: string
  name: string
  apiStages: { apiId: string; stage: string; throttle?: Record<string, unknown> }[]
  throttle?: { rateLimit: number; burstLimit: number }
  quota?: { limit: number; period: string; offset: number }
}

let apiId = ''

beforeAll(async () => {
  apiId = await importApi()
  await deploy(apiId, { stageName: 'prod' })
  await deploy(apiId, { stageName: 'dev' })
})

async function createPlan(body: Record<string, unknown> = {}): Promise<PlanOut> {
  const res = await admin('POST', '/usageplans', { name: 'plan', ...body })
  expect(res.status).toBe(201)
  return res.json()
}

async function createKey(): Promise<string> {
  const res = await admin('POST', '/apikeys', { name: 'k', enabled: true })
  const body: { id: string } = await res.json()
  return body.id
}

describe('POST /usageplans', () => {
  it('creates a plan with throttle, quota and an existing API stage', async () => {
    const plan = await createPlan({
      apiStages: [
        { apiId, stage: 'prod', throttle: { '/pets/GET': { rateLimit: 1, burstLimit: 2 } } },
      ],
      throttle: { rateLimit: 10, burstLimit: 20 },
      quota: { limit: 1000, period: 'WEEK' },
    })
    expect(plan).toMatchObject({
      throttle: { rateLimit: 10, burstLimit: 20 },
      quota: { limit: 1000, period: 'WEEK', offset: 0 },
    })
    const got: PlanOut = await (await admin('GET', `/usageplans/${plan.id}`)).json()
    expect(got).toEqual(plan)
  })

  it('refuses stages that do not exist with 400', async () => {
    for (const apiStages of [
      [{ apiId, stage: 'nope' }],
      [{ apiId: 'zzzzzzzzzz', stage: 'prod' }],
    ]) {
      const error = await awsError(await admin('POST', '/usageplans', { name: 'p', apiStages }))
      expect(error).toMatchObject({ status: 400, type: 'BadRequestException' })
      expect(error.message).toContain('does not exist')
    }
  })

  it('refuses bad limits, periods, offsets and a missing name', async () => {
    const bad: Record<string, unknown>[] = [
      { throttle: { rateLimit: -1, burstLimit: 1 } },
      { throttle: { rateLimit: 1, burstLimit: 1.5 } },
      { quota: { limit: 10, period: 'YEAR' } },
      { quota: { limit: 10, period: 'DAY', offset: 1 } },
      { quota: { limit: 10, period: 'WEEK', offset: 7 } },
      { quota: { limit: 10, period: 'MONTH', offset: 28 } },
      { quota: { limit: -5, period: 'DAY' } },
      {
        apiStages: [{ apiId, stage: 'prod', throttle: { pets: { rateLimit: 1, burstLimit: 1 } } }],
      },
      {
        apiStages: [
          { apiId, stage: 'prod' },
          { apiId, stage: 'prod' },
        ],
      },
      { apiStages: 'prod' },
      { name: '' },
    ]
    for (const body of bad) {
      const res = await admin('POST', '/usageplans', { name: 'p', ...body })
      expect(res.status, JSON.stringify(body)).toBe(400)
    }
  })
})

describe('PATCH /usageplans/{id}', () => {
  it('applies AWS patch paths for throttle, quota, stages and method throttles', async () => {
    const plan = await createPlan({ throttle: { rateLimit: 1, burstLimit: 1 } })
    const res = await admin('PATCH', `/usageplans/${plan.id}`, {
      patchOperations: [
        { op: 'replace', path: '/name', value: 'gold' },
        { op: 'replace', path: '/throttle/rateLimit', value: '50' },
        { op: 'replace', path: '/throttle/burstLimit', value: '100' },
        { op: 'replace', path: '/quota/limit', value: '5000' },
        { op: 'replace', path: '/quota/period', value: 'MONTH' },
        { op: 'replace', path: '/quota/offset', value: '3' },
        { op: 'add', path: '/apiStages', value: `${apiId}:prod` },
        {
          op: 'replace',
          path: `/apiStages/${apiId}:prod/throttle/~1pets/GET/rateLimit`,
          value: '5',
        },
        {
          op: 'replace',
          path: `/apiStages/${apiId}:prod/throttle/~1pets/GET/burstLimit`,
          value: '7',
        },
      ],
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      name: 'gold',
      throttle: { rateLimit: 50, burstLimit: 100 },
      quota: { limit: 5000, period: 'MONTH', offset: 3 },
      apiStages: [
        { apiId, stage: 'prod', throttle: { '/pets/GET': { rateLimit: 5, burstLimit: 7 } } },
      ],
    })
    const removed = await admin('PATCH', `/usageplans/${plan.id}`, {
      patchOperations: [
        { op: 'remove', path: '/quota' },
        { op: 'remove', path: '/apiStages', value: `${apiId}:prod` },
      ],
    })
    const after: PlanOut = await removed.json()
    expect(after.quota).toBeUndefined()
    expect(after.apiStages).toEqual([])
  })

  it('refuses incomplete or invalid results and unknown paths with 400', async () => {
    const plan = await createPlan()
    const bad = [
      { op: 'replace', path: '/throttle/rateLimit', value: '5' },
      { op: 'replace', path: '/quota/limit', value: 'lots' },
      { op: 'add', path: '/apiStages', value: `${apiId}:missing` },
      { op: 'add', path: '/apiStages', value: 'nocolon' },
      { op: 'replace', path: '/productCode', value: 'x' },
    ]
    for (const op of bad) {
      const res = await admin('PATCH', `/usageplans/${plan.id}`, { patchOperations: [op] })
      expect(res.status, JSON.stringify(op)).toBe(400)
    }
  })
})

describe('usage plan keys', () => {
  it('adds, lists, gets and removes a key', async () => {
    const plan = await createPlan({ apiStages: [{ apiId, stage: 'dev' }] })
    const keyId = await createKey()
    const add = await admin('POST', `/usageplans/${plan.id}/keys`, { keyId, keyType: 'API_KEY' })
    expect(add.status).toBe(201)
    expect(await add.json()).toEqual({ id: keyId, type: 'API_KEY', name: 'k' })
    const list: { item: { id: string }[] } = await (
      await admin('GET', `/usageplans/${plan.id}/keys`)
    ).json()
    expect(list.item.map((k) => k.id)).toEqual([keyId])
    expect((await admin('GET', `/usageplans/${plan.id}/keys/${keyId}`)).status).toBe(200)
    const plans: { item: { id: string }[] } = await (
      await admin('GET', `/usageplans?keyId=${keyId}`)
    ).json()
    expect(plans.item.map((p) => p.id)).toEqual([plan.id])
    expect((await admin('DELETE', `/usageplans/${plan.id}/keys/${keyId}`)).status).toBe(202)
    expect((await admin('GET', `/usageplans/${plan.id}/keys/${keyId}`)).status).toBe(404)
  })

  it('answers 409 for a key in two plans covering the same stage', async () => {
    const a = await createPlan({ apiStages: [{ apiId, stage: 'prod' }] })
    const b = await createPlan({ apiStages: [{ apiId, stage: 'prod' }] })
    const c = await createPlan()
    const keyId = await createKey()
    await admin('POST', `/usageplans/${a.id}/keys`, { keyId, keyType: 'API_KEY' })
    const error = await awsError(
      await admin('POST', `/usageplans/${b.id}/keys`, { keyId, keyType: 'API_KEY' })
    )
    expect(error).toMatchObject({ status: 409, type: 'ConflictException' })
    expect(error.message).toContain('same API stage')
    expect(
      (await admin('POST', `/usageplans/${c.id}/keys`, { keyId, keyType: 'API_KEY' })).status
    ).toBe(201)
    const clash = await admin('PATCH', `/usageplans/${c.id}`, {
      patchOperations: [{ op: 'add', path: '/apiStages', value: `${apiId}:prod` }],
    })
    expect(clash.status).toBe(409)
  })

  it('answers 404, 400 and 409 for bad links', async () => {
    const plan = await createPlan()
    const keyId = await createKey()
    const post = (body: unknown, id = plan.id) => admin('POST', `/usageplans/${id}/keys`, body)
    expect((await post({ keyId, keyType: 'API_KEY' }, 'nope00')).status).toBe(404)
    expect((await post({ keyId: 'nokey00000', keyType: 'API_KEY' })).status).toBe(404)
    expect((await post({ keyId, keyType: 'OTHER' })).status).toBe(400)
    expect((await post({ keyType: 'API_KEY' })).status).toBe(400)
    expect((await post({ keyId, keyType: 'API_KEY' })).status).toBe(201)
    expect((await post({ keyId, keyType: 'API_KEY' })).status).toBe(409)
    expect((await admin('GET', '/usageplans/nope00/keys')).status).toBe(404)
    expect((await admin('DELETE', `/usageplans/${plan.id}/keys/nokey00000`)).status).toBe(404)
  })

  it('drops the links of a deleted plan and 404s it afterwards', async () => {
    const plan = await createPlan()
    const keyId = await createKey()
    await admin('POST', `/usageplans/${plan.id}/keys`, { keyId, keyType: 'API_KEY' })
    expect((await admin('DELETE', `/usageplans/${plan.id}`)).status).toBe(202)
    expect((await admin('GET', `/usageplans/${plan.id}`)).status).toBe(404)
    const links = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM usage_plan_keys WHERE usage_plan_id = ?'
    )
      .bind(plan.id)
      .first<{ n: number }>()
    expect(links?.n).toBe(0)
  })
})

describe('GET /usageplans/{id}/usage', () => {
  it('answers in AWS shape with [used, remaining] per day', async () => {
    const plan = await createPlan({ quota: { limit: 10, period: 'DAY' } })
    const keyId = await createKey()
    await admin('POST', `/usageplans/${plan.id}/keys`, { keyId, keyType: 'API_KEY' })
    await env.DB.prepare('INSERT INTO usage (usage_plan_id, key_id, day, used) VALUES (?, ?, ?, ?)')
      .bind(plan.id, keyId, '2024-05-02', 4)
      .run()
    const res = await admin(
      'GET',
      `/usageplans/${plan.id}/usage?startDate=2024-05-01&endDate=2024-05-03`
    )
    expect(await res.json()).toEqual({
      usagePlanId: plan.id,
      startDate: '2024-05-01',
      endDate: '2024-05-03',
      values: {
        [keyId]: [
          [0, 10],
          [4, 6],
          [0, 10],
        ],
      },
    })
  })

  it('refuses missing or malformed dates and reversed ranges', async () => {
    const plan = await createPlan()
    for (const q of [
      '',
      'startDate=2024-05-01',
      'startDate=2024-5-1&endDate=2024-05-03',
      'startDate=2024-05-03&endDate=2024-05-01',
    ]) {
      expect((await admin('GET', `/usageplans/${plan.id}/usage?${q}`)).status, q).toBe(400)
    }
    expect(
      (await admin('GET', '/usageplans/nope00/usage?startDate=2024-05-01&endDate=2024-05-01'))
        .status
    ).toBe(404)
  })
})
