import { describe, expect, it } from 'vitest'
import { admin, createHttpApi, createIntegration, expectError } from './helpers'

describe('v2 routes', () => {
  it('creates, gets, lists, updates and deletes a route targeting an integration', async () => {
    const apiId = await createHttpApi()
    const integrationId = await createIntegration(apiId)
    const created = await admin('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: 'GET /pets/{petId}',
      target: `integrations/${integrationId}`,
      operationName: 'getPet',
      authorizationScopes: ['pets:read'],
      requestParameters: { 'route.request.querystring.q': { required: true } },
    })
    expect(created.status).toBe(201)
    const routeId: string = created.json.routeId
    expect(created.json).toEqual({
      routeId,
      routeKey: 'GET /pets/{petId}',
      target: `integrations/${integrationId}`,
      operationName: 'getPet',
      apiKeyRequired: false,
      authorizationType: 'NONE',
      authorizationScopes: ['pets:read'],
      requestParameters: { 'route.request.querystring.q': { required: true } },
    })
    expect((await admin('GET', `/v2/apis/${apiId}/routes/${routeId}`)).json).toEqual(created.json)
    const list = await admin('GET', `/v2/apis/${apiId}/routes`)
    expect(list.json.items).toEqual([created.json])

    const updated = await admin('PATCH', `/v2/apis/${apiId}/routes/${routeId}`, {
      routeKey: 'ANY /pets/{proxy+}',
      apiKeyRequired: true,
    })
    expect(updated.status).toBe(200)
    expect(updated.json).toMatchObject({
      routeKey: 'ANY /pets/{proxy+}',
      apiKeyRequired: true,
      target: `integrations/${integrationId}`,
      operationName: 'getPet',
    })
    expect((await admin('DELETE', `/v2/apis/${apiId}/routes/${routeId}`)).status).toBe(204)
    expectError(await admin('GET', `/v2/apis/${apiId}/routes/${routeId}`), 404, 'NotFoundException')
  })

  it.each([
    ['GET pets', /Invalid 'routeKey' 'GET pets'/],
    ['FETCH /pets', /Invalid 'routeKey'/],
    ['GET /a/{proxy+}/b', /greedy/],
    ['GET /a//b', /empty segment/],
    ['GET /a/../b', /dot segment/],
    ['GET /{id}/{id}', /appears twice/],
    ['$connect', /Invalid 'routeKey'/],
  ])('refuses the route key %s with a 400 naming routeKey', async (routeKey, pattern) => {
    const apiId = await createHttpApi()
    expectError(
      await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey }),
      400,
      'BadRequestException',
      pattern
    )
  })

  it('accepts WebSocket route keys and refuses unknown reserved ones', async () => {
    const created = await admin('POST', '/v2/apis', {
      name: 'ws',
      protocolType: 'WEBSOCKET',
      routeSelectionExpression: '$request.body.action',
    })
    const apiId: string = created.json.apiId
    for (const routeKey of ['$connect', '$disconnect', '$default', 'sendMessage']) {
      expect((await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey })).status).toBe(201)
    }
    expectError(
      await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey: '$other' }),
      400,
      'BadRequestException',
      /routeKey/
    )
  })

  it('refuses a target naming no integration, or not in integrations/{id} form', async () => {
    const apiId = await createHttpApi()
    expectError(
      await admin('POST', `/v2/apis/${apiId}/routes`, {
        routeKey: 'GET /x',
        target: 'integrations/nothing',
      }),
      400,
      'BadRequestException',
      /'target': integration 'nothing' does not exist/
    )
    expectError(
      await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey: 'GET /x', target: 'nothing' }),
      400,
      'BadRequestException',
      /'target' must be of the form/
    )
    expect((await admin('GET', `/v2/apis/${apiId}/routes`)).json.items).toEqual([])
  })

  it('refuses a second route with the same key with 409 ConflictException', async () => {
    const apiId = await createHttpApi()
    expect((await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey: 'GET /x' })).status).toBe(
      201
    )
    expectError(
      await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey: 'GET /x' }),
      409,
      'ConflictException'
    )
  })

  it.each([
    [{ routeKey: 'GET /x', apiKeyRequired: 'yes' }, /'apiKeyRequired' must be a boolean/],
    [{ routeKey: 'GET /x', authorizationType: 'MAGIC' }, /'authorizationType' must be one of/],
    [{ routeKey: 'GET /x', authorizationScopes: 'a' }, /'authorizationScopes' must be a list/],
    [
      { routeKey: 'GET /x', requestParameters: { p: { required: 'no' } } },
      /'requestParameters\.p\.required' must be a boolean/,
    ],
    [{ routeKey: 'GET /x', modelSelectionExpression: 'x' }, /only supported for WebSocket APIs/],
  ])('refuses CreateRoute %j', async (body, pattern) => {
    const apiId = await createHttpApi()
    expectError(
      await admin('POST', `/v2/apis/${apiId}/routes`, body),
      400,
      'BadRequestException',
      pattern
    )
  })
})
