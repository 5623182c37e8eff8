import { describe, expect, it } from 'vitest'
import { admin, createHttpApi, expectError } from './helpers'

const SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' } },
}

async function createWebSocketApi(): Promise<string> {
  const reply = await admin('POST', '/v2/apis', {
    name: 'ws',
    protocolType: 'WEBSOCKET',
    routeSelectionExpression: '$request.body.action',
  })
  expect(reply.status).toBe(201)
  return reply.json.apiId as string
}

describe('v2 models', () => {
  it('creates, gets, lists, updates and deletes a model with its schema as JSON text', async () => {
    const apiId = await createHttpApi()
    const created = await admin('POST', `/v2/apis/${apiId}/models`, {
      name: 'Pet',
      contentType: 'application/json',
      description: 'A pet',
      schema: JSON.stringify(SCHEMA),
    })
    expect(created.status).toBe(201)
    const modelId: string = created.json.modelId
    expect(created.json).toEqual({
      modelId,
      name: 'Pet',
      contentType: 'application/json',
      description: 'A pet',
      schema: JSON.stringify(SCHEMA),
    })
    expect(JSON.parse(created.json.schema as string)).toEqual(SCHEMA)
    expect((await admin('GET', `/v2/apis/${apiId}/models/${modelId}`)).json).toEqual(created.json)
    expect((await admin('GET', `/v2/apis/${apiId}/models`)).json.items).toEqual([created.json])

    const schema = { ...SCHEMA, maxProperties: 5 }
    const updated = await admin('PATCH', `/v2/apis/${apiId}/models/${modelId}`, {
      schema: JSON.stringify(schema),
    })
    expect(updated.status).toBe(200)
    expect(JSON.parse(updated.json.schema as string)).toEqual(schema)
    expect((await admin('DELETE', `/v2/apis/${apiId}/models/${modelId}`)).status).toBe(204)
    expectError(await admin('GET', `/v2/apis/${apiId}/models/${modelId}`), 404, 'NotFoundException')
  })

  it.each([
    ['{not json', /not valid JSON/],
    ['[1, 2]', /must be a JSON object/],
  ])('refuses the schema %s with a 400', async (schema, pattern) => {
    const apiId = await createHttpApi()
    expectError(
      await admin('POST', `/v2/apis/${apiId}/models`, { name: 'Pet', schema }),
      400,
      'BadRequestException',
      pattern
    )
  })

  it('refuses a model name that is not alphanumeric, naming the config path', async () => {
    const apiId = await createHttpApi()
    expectError(
      await admin('POST', `/v2/apis/${apiId}/models`, {
        name: 'pet-model',
        schema: JSON.stringify(SCHEMA),
      }),
      400,
      'BadRequestException',
      /\/models\/0\/name/
    )
  })

  it('refuses a second model with the same name (409)', async () => {
    const apiId = await createHttpApi()
    const body = { name: 'Pet', schema: JSON.stringify(SCHEMA) }
    expect((await admin('POST', `/v2/apis/${apiId}/models`, body)).status).toBe(201)
    expectError(await admin('POST', `/v2/apis/${apiId}/models`, body), 409, 'ConflictException')
  })

  it('refuses to delete or rename a model a route uses (409)', async () => {
    const apiId = await createWebSocketApi()
    const modelId: string = (
      await admin('POST', `/v2/apis/${apiId}/models`, {
        name: 'Message',
        schema: JSON.stringify(SCHEMA),
      })
    ).json.modelId
    const route = await admin('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: 'send',
      modelSelectionExpression: '$request.body.action',
      requestModels: { $default: 'Message' },
    })
    expect(route.status).toBe(201)
    expectError(
      await admin('DELETE', `/v2/apis/${apiId}/models/${modelId}`),
      409,
      'ConflictException',
      /used by route send/
    )
    expectError(
      await admin('PATCH', `/v2/apis/${apiId}/models/${modelId}`, { name: 'Other' }),
      409,
      'ConflictException'
    )
  })
})
