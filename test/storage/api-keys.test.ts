import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { hashApiKey } from '../../src/api-keys/hash'
import { generateApiKey, valuePrefix } from '../../src/api-keys/key-format'
import { newResourceId } from '../../src/config/ids'
import { createKey, deleteKey, findKeyByHash } from '../../src/storage/api-keys'
import { readUsage } from '../../src/storage/usage-reader'
import { addKeyToPlan, createPlan, getPlan, updatePlan } from '../../src/storage/usage-plans'
import type { UsagePlanRecord } from '../../src/storage/usage-plan-types'

const NOW = '2024-03-01T00:00:00.000Z'

async function newKey(): Promise<{ id: string; value: string }> {
  const value = generateApiKey()
  const id = newResourceId(10)
  const record = { id, name: `key-${id}`, enabled: true, valuePrefix: valuePrefix(value) }
  const created = await createKey(env.DB, {
    record: { ...record, createdDate: NOW, lastUpdatedDate: NOW },
    keyHash: await hashApiKey(value),
  })
  expect(created).toBe(true)
  return { id, value }
}

async function newPlan(stages: UsagePlanRecord['apiStages']): Promise<UsagePlanRecord> {
  const plan: UsagePlanRecord = {
    id: newResourceId(6),
    name: 'plan',
    apiStages: stages,
    throttle: { rateLimit: 5, burstLimit: 10 },
    quota: { limit: 100, period: 'MONTH', offset: 2 },
    createdDate: NOW,
    lastUpdatedDate: NOW,
  }
  await createPlan(env.DB, plan)
  return plan
}

describe('findKeyByHash', () => {
  it('returns the key with every plan it belongs to', async () => {
    const key = await newKey()
    const a = await newPlan([
      {
        apiId: 'aaaaaaaaaa',
        stage: 'prod',
        throttle: { '/pets/GET': { rateLimit: 1, burstLimit: 2 } },
      },
    ])
    const b = await newPlan([{ apiId: 'bbbbbbbbbb', stage: 'prod' }])
    expect(await addKeyToPlan(env.DB, a.id, key.id)).toBe('ADDED')
    expect(await addKeyToPlan(env.DB, b.id, key.id)).toBe('ADDED')
    const found = await findKeyByHash(env.DB, await hashApiKey(key.value))
    expect(found?.key.id).toBe(key.id)
    expect(found?.key.enabled).toBe(true)
    expect(found?.plans.map((p) => p.id).sort()).toEqual([a.id, b.id].sort())
    expect(found?.plans.find((p) => p.id === a.id)).toEqual(a)
  })

  it('returns the key with no plans when it is in none', async () => {
    const key = await newKey()
    const found = await findKeyByHash(env.DB, await hashApiKey(key.value))
    expect(found).toEqual({ key: expect.objectContaining({ id: key.id }), plans: [] })
  })

  it('returns null for an unknown hash and after the key is deleted', async () => {
    expect(await findKeyByHash(env.DB, await hashApiKey('no such key value here'))).toBeNull()
    const key = await newKey()
    expect(await deleteKey(env.DB, key.id)).toBe(true)
    expect(await findKeyByHash(env.DB, await hashApiKey(key.value))).toBeNull()
  })

  it('throws on a plan row whose JSON is corrupt rather than dropping its limits', async () => {
    const key = await newKey()
    const plan = await newPlan([])
    await addKeyToPlan(env.DB, plan.id, key.id)
    await env.DB.prepare('UPDATE usage_plans SET quota = \'{"limit":-1}\' WHERE id = ?')
      .bind(plan.id)
      .run()
    await expect(findKeyByHash(env.DB, await hashApiKey(key.value))).rejects.toThrow(/quota/)
  })
})

describe('plan stage rule', () => {
  it('refuses a key in two plans covering the same API stage', async () => {
    const key = await newKey()
    const a = await newPlan([{ apiId: 'cccccccccc', stage: 'prod' }])
    const b = await newPlan([
      { apiId: 'cccccccccc', stage: 'prod' },
      { apiId: 'dddddddddd', stage: 'dev' },
    ])
    expect(await addKeyToPlan(env.DB, a.id, key.id)).toBe('ADDED')
    expect(await addKeyToPlan(env.DB, b.id, key.id)).toBe('STAGE_CONFLICT')
    expect(await addKeyToPlan(env.DB, a.id, key.id)).toBe('ALREADY_IN_PLAN')
    expect(await addKeyToPlan(env.DB, 'nope00', key.id)).toBe('PLAN_NOT_FOUND')
    expect(await addKeyToPlan(env.DB, a.id, 'nokey00000')).toBe('KEY_NOT_FOUND')
  })

  it('refuses a plan update that would put a shared key twice on a stage', async () => {
    const key = await newKey()
    const a = await newPlan([{ apiId: 'eeeeeeeeee', stage: 'prod' }])
    const b = await newPlan([{ apiId: 'ffffffffff', stage: 'prod' }])
    await addKeyToPlan(env.DB, a.id, key.id)
    await addKeyToPlan(env.DB, b.id, key.id)
    const clash = { ...b, apiStages: [...b.apiStages, { apiId: 'eeeeeeeeee', stage: 'prod' }] }
    expect(await updatePlan(env.DB, clash)).toBe('STAGE_CONFLICT')
    expect((await getPlan(env.DB, b.id))?.apiStages).toEqual(b.apiStages)
    expect(await updatePlan(env.DB, { ...b, name: 'renamed' })).toBe('UPDATED')
    expect(await updatePlan(env.DB, { ...b, id: 'nope00' })).toBe('NOT_FOUND')
  })
})

describe('readUsage', () => {
  it('lists plan keys and keys with usage, with rows in the range only', async () => {
    const plan = await newPlan([])
    const member = await newKey()
    await addKeyToPlan(env.DB, plan.id, member.id)
    const insert = env.DB.prepare(
      'INSERT INTO usage (usage_plan_id, key_id, day, used) VALUES (?, ?, ?, ?)'
    )
    await env.DB.batch([
      insert.bind(plan.id, member.id, '2024-03-01', 4),
      insert.bind(plan.id, member.id, '2024-03-05', 9),
      insert.bind(plan.id, 'formerkey0', '2024-03-02', 2),
    ])
    const all = await readUsage(env.DB, {
      planId: plan.id,
      fromDay: '2024-03-01',
      toDay: '2024-03-03',
      limit: 25,
    })
    expect(all.keyIds).toEqual([member.id, 'formerkey0'].sort())
    expect(all.rows).toHaveLength(2)
    const one = await readUsage(env.DB, {
      planId: plan.id,
      fromDay: '2024-03-01',
      toDay: '2024-03-31',
      limit: 25,
      keyId: member.id,
    })
    expect(one.rows.map((r) => r.used)).toEqual([4, 9])
    const paged = await readUsage(env.DB, {
      planId: plan.id,
      fromDay: '2024-03-01',
      toDay: '2024-03-03',
      limit: 1,
    })
    expect(paged.keyIds).toHaveLength(1)
    expect(paged.position).toBe(paged.keyIds[0])
  })
})
