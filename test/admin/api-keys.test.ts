import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { hashApiKey } from '../../src/api-keys/hash'
import { hasValidChecksum } from '../../src/api-keys/key-format'
import { findKeyByHash } from '../../src/storage/api-keys'
import { admin, awsError } from './helpers'

interface KeyOut {
  id: string
  name: string
  enabled: boolean
  value?: string
  valuePrefix: string
  createdDate: number
  customerId?: string
  description?: string
}

async function createKey(body: Record<string, unknown> = {}): Promise<KeyOut> {
  const res = await admin('POST', '/apikeys', { name: 'k', ...body })
  expect(res.status).toBe(201)
  return res.json()
}

describe('POST /apikeys', () => {
  it('generates a checksummed key, returns the value once and stores only its hash', async () => {
    const key = await createKey({ name: 'gen', enabled: true, customerId: 'cust-1' })
    expect(key.value).toBeDefined()
    expect(hasValidChecksum(key.value ?? '')).toBe(true)
    expect(key.valuePrefix).toBe(key.value?.slice(0, 8))
    expect(key).toMatchObject({ name: 'gen', enabled: true, customerId: 'cust-1' })
    expect(typeof key.createdDate).toBe('number')
    const found = await findKeyByHash(env.DB, await hashApiKey(key.value ?? ''))
    expect(found?.key.id).toBe(key.id)
    const row = await env.DB.prepare('SELECT * FROM api_keys WHERE id = ?').bind(key.id).first()
    expect(JSON.stringify(row)).not.toContain(key.value)
    const got: KeyOut = await (await admin('GET', `/apikeys/${key.id}`)).json()
    expect(got.value).toBeUndefined()
  })

  it('creates keys disabled unless enabled is true, as AWS', async () => {
    expect((await createKey()).enabled).toBe(false)
  })

  it('accepts a supplied value and refuses the same value twice with 409', async () => {
    const value = `migrated-${crypto.randomUUID()}`
    const key = await createKey({ value })
    expect(key.value).toBe(value)
    const again = await admin('POST', '/apikeys', { value })
    const error = await awsError(again)
    expect(error).toMatchObject({ status: 409, type: 'ConflictException' })
    expect(error.message).not.toContain(value)
  })

  it('refuses supplied values that are too short or too long without echoing them', async () => {
    for (const value of ['short-value-19-chars', 'x'.repeat(129)].map((v, i) =>
      i === 0 ? v.slice(0, 19) : v
    )) {
      const error = await awsError(await admin('POST', '/apikeys', { value }))
      expect(error).toMatchObject({ status: 400, type: 'BadRequestException' })
      expect(error.message).toContain('20 to 128')
      expect(error.message).not.toContain(value)
    }
  })

  it('refuses wrongly typed fields and stageKeys', async () => {
    expect((await admin('POST', '/apikeys', { enabled: 'yes' })).status).toBe(400)
    expect((await admin('POST', '/apikeys', { value: 42 })).status).toBe(400)
    expect((await admin('POST', '/apikeys', { tags: { a: 1 } })).status).toBe(400)
    const stageKeys = await awsError(
      await admin('POST', '/apikeys', { stageKeys: [{ restApiId: 'a', stageName: 'b' }] })
    )
    expect(stageKeys.message).toContain('usage plans')
    expect((await admin('POST', '/apikeys', '{not json')).status).toBe(400)
  })
})

describe('GET /apikeys', () => {
  it('pages with limit and position and filters by name prefix and customerId', async () => {
    const tag = crypto.randomUUID().slice(0, 8)
    for (let i = 0; i < 3; i++)
      await createKey({ name: `list-${tag}-${String(i)}`, customerId: tag })
    await createKey({ name: `other-${tag}` })
    const first: { item: KeyOut[]; position?: string } = await (
      await admin('GET', `/apikeys?name=list-${tag}&limit=2`)
    ).json()
    expect(first.item).toHaveLength(2)
    expect(first.position).toBeDefined()
    const second: { item: KeyOut[]; position?: string } = await (
      await admin('GET', `/apikeys?name=list-${tag}&limit=2&position=${first.position ?? ''}`)
    ).json()
    expect(second.item).toHaveLength(1)
    expect(second.position).toBeUndefined()
    const byCustomer: { item: KeyOut[] } = await (
      await admin('GET', `/apikeys?customerId=${tag}`)
    ).json()
    expect(byCustomer.item).toHaveLength(3)
  })

  it('never returns values, even with includeValues=true, and says why', async () => {
    await createKey()
    const body: { item: KeyOut[]; warnings?: string[] } = await (
      await admin('GET', '/apikeys?includeValues=true')
    ).json()
    expect(body.item.every((k) => k.value === undefined)).toBe(true)
    expect(body.warnings?.[0]).toContain('hashes')
  })

  it('refuses a bad limit', async () => {
    expect((await admin('GET', '/apikeys?limit=0')).status).toBe(400)
  })
})

describe('PATCH and DELETE /apikeys/{id}', () => {
  it('updates name, description, enabled and customerId', async () => {
    const key = await createKey({ enabled: true })
    const res = await admin('PATCH', `/apikeys/${key.id}`, {
      patchOperations: [
        { op: 'replace', path: '/name', value: 'renamed' },
        { op: 'replace', path: '/description', value: 'about' },
        { op: 'replace', path: '/enabled', value: 'false' },
        { op: 'replace', path: '/customerId', value: 'c-9' },
      ],
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      name: 'renamed',
      description: 'about',
      enabled: false,
      customerId: 'c-9',
    })
    const got: KeyOut = await (await admin('GET', `/apikeys/${key.id}`)).json()
    expect(got.enabled).toBe(false)
  })

  it('refuses unknown paths and bad enabled values', async () => {
    const key = await createKey()
    const bad = [
      { op: 'replace', path: '/value', value: 'x'.repeat(30) },
      { op: 'replace', path: '/enabled', value: 'yes' },
      { op: 'remove', path: '/name' },
      { op: 'replace', path: '/name', value: '' },
    ]
    for (const op of bad) {
      const res = await admin('PATCH', `/apikeys/${key.id}`, { patchOperations: [op] })
      expect(res.status).toBe(400)
    }
  })

  it('deletes a key with 202 and answers 404 afterwards', async () => {
    const key = await createKey()
    expect((await admin('DELETE', `/apikeys/${key.id}`)).status).toBe(202)
    for (const method of ['GET', 'DELETE', 'PATCH']) {
      const error = await awsError(
        await admin(method, `/apikeys/${key.id}`, method === 'PATCH' ? {} : undefined)
      )
      expect(error).toMatchObject({ status: 404, type: 'NotFoundException' })
    }
  })

  it('records every write in the audit log', async () => {
    const key = await createKey()
    await admin('DELETE', `/apikeys/${key.id}`)
    const rows = await env.DB.prepare(
      'SELECT action FROM admin_audit_log WHERE resource = ? ORDER BY id'
    )
      .bind(`/apikeys/${key.id}`)
      .all<{ action: string }>()
    expect(rows.results.map((r) => r.action)).toEqual(['CreateApiKey', 'DeleteApiKey'])
  })
})
