/** apigateway v1 models through the admin API: by name, schema as JSON text, stored parsed. */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ApiConfig } from '../../src/config/types'
import { admin, awsError, importApi } from './helpers'

const SCHEMA = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }

describe('v1 models', () => {
  it('creates, gets, lists, patches and deletes a model by name', async () => {
    const apiId = await importApi()
    const res = await admin('POST', `/restapis/${apiId}/models`, {
      name: 'Pet',
      contentType: 'application/json',
      schema: JSON.stringify(SCHEMA),
      description: 'a pet',
    })
    expect(res.status).toBe(201)
    const created: Record<string, unknown> = await res.json()
    expect(created).toEqual({
      id: created.id,
      name: 'Pet',
      contentType: 'application/json',
      schema: JSON.stringify(SCHEMA),
      description: 'a pet',
    })
    const api: ApiConfig | null = await env.ROUTES.get(`api/${apiId}`, 'json')
    expect(api?.models?.[0]?.schema).toEqual(SCHEMA)
    expect(await (await admin('GET', `/restapis/${apiId}/models/Pet`)).json()).toEqual(created)
    const list: { item: unknown[] } = await (await admin('GET', `/restapis/${apiId}/models`)).json()
    expect(list.item).toEqual([created])
    const patched = await admin('PATCH', `/restapis/${apiId}/models/Pet`, {
      patchOperations: [{ op: 'replace', path: '/schema', value: '{"type":"string"}' }],
    })
    expect(await patched.json()).toMatchObject({ schema: '{"type":"string"}' })
    expect((await admin('DELETE', `/restapis/${apiId}/models/Pet`)).status).toBe(202)
    expect((await admin('GET', `/restapis/${apiId}/models/Pet`)).status).toBe(404)
  })

  it.each([
    [{ name: 'Pet', contentType: 'application/json', schema: '{nope' }, /not valid JSON/],
    [{ name: 'Pet', schema: '{}' }, /'contentType' is required/],
    [{ name: 'pet-model', contentType: 'application/json' }, /\/models\/0\/name/],
  ])('refuses %j with a 400', async (body, pattern) => {
    const apiId = await importApi()
    const e = await awsError(await admin('POST', `/restapis/${apiId}/models`, body))
    expect(e).toMatchObject({ status: 400, type: 'BadRequestException' })
    expect(e.message).toMatch(pattern)
  })

  it('imports component schemas that reference each other as self-contained models', async () => {
    const apiId = await importApi({
      openapi: '3.0.1',
      info: { title: 'linked' },
      components: {
        schemas: {
          Pet: { type: 'object', properties: { owner: { $ref: '#/components/schemas/Owner' } } },
          Owner: { type: 'object', required: ['email'] },
        },
      },
      paths: {},
    })
    const pet: { schema: string } = await (
      await admin('GET', `/restapis/${apiId}/models/Pet`)
    ).json()
    expect(JSON.parse(pet.schema)).toEqual({
      type: 'object',
      properties: { owner: { $ref: '#/definitions/Owner' } },
      definitions: { Owner: { type: 'object', required: ['email'] } },
    })
  })

  it('refuses a duplicate name (409) and deleting a model a method uses (409)', async () => {
    const apiId = await importApi({
      openapi: '3.0.1',
      info: { title: 'models' },
      components: { schemas: { Pet: SCHEMA } },
      paths: {
        '/pets': {
          post: {
            requestBody: {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
            },
            'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'https://up.example/' },
          },
        },
      },
    })
    const dup = await awsError(
      await admin('POST', `/restapis/${apiId}/models`, {
        name: 'Pet',
        contentType: 'application/json',
      })
    )
    expect(dup).toMatchObject({ status: 409, type: 'ConflictException' })
    const used = await awsError(await admin('DELETE', `/restapis/${apiId}/models/Pet`))
    expect(used).toMatchObject({ status: 409, type: 'ConflictException' })
    expect(used.message).toContain('POST /pets')
  })
})
