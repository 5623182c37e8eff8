import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, createHttpApi, createIntegration, expectError } from './helpers'

async function createWebSocketApi(extra: Record<string, unknown> = {}): Promise<string> {
  const reply = await admin('POST', '/v2/apis', {
    name: 'chat',
    protocolType: 'WEBSOCKET',
    routeSelectionExpression: '$request.body.action',
    ...extra,
  })
  expect(reply.status).toBe(201)
  return reply.json.apiId as string
}

async function createMock(apiId: string): Promise<string> {
  const reply = await admin('POST', `/v2/apis/${apiId}/integrations`, {
    integrationType: 'MOCK',
    requestTemplates: { $default: '{"statusCode": 200}' },
    templateSelectionExpression: '\\$default',
  })
  expect(reply.status).toBe(201)
  return reply.json.integrationId as string
}

async function createRoute(apiId: string, routeKey: string): Promise<string> {
  const reply = await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey })
  expect(reply.status).toBe(201)
  return reply.json.routeId as string
}

/** A model routes may name in `requestModels` / `responseModels` (they must exist). */
async function createModel(apiId: string, name: string): Promise<void> {
  const schema = { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' }
  const reply = await admin('POST', `/v2/apis/${apiId}/models`, {
    name,
    contentType: 'application/json',
    schema: JSON.stringify(schema),
  })
  expect(reply.status).toBe(201)
}

async function storedApi(apiId: string): Promise<Record<string, unknown>> {
  return JSON.parse((await env.ROUTES.get(`api/${apiId}`)) ?? '{}') as Record<string, unknown>
}

describe('v2 WebSocket APIs', () => {
  it('keeps the API key selection expression and Portico webSocket settings', async () => {
    const apiId = await createWebSocketApi({
      apiKeySelectionExpression: '$request.header.x-api-key',
      webSocket: { allowOrigins: ['https://chat.example.com'], maxMessageBytes: 65536 },
    })
    const got = await admin('GET', `/v2/apis/${apiId}`)
    expect(got.json).toMatchObject({
      protocolType: 'WEBSOCKET',
      routeSelectionExpression: '$request.body.action',
      apiKeySelectionExpression: '$request.header.x-api-key',
      webSocket: { allowOrigins: ['https://chat.example.com'], maxMessageBytes: 65536 },
    })
    const patched = await admin('PATCH', `/v2/apis/${apiId}`, {
      webSocket: { idleTimeoutSeconds: 60 },
    })
    expect(patched.json.webSocket).toEqual({
      allowOrigins: ['https://chat.example.com'],
      maxMessageBytes: 65536,
      idleTimeoutSeconds: 60,
    })
    expect((await storedApi(apiId)).webSocket).toEqual(patched.json.webSocket)
  })

  it('refuses webSocket settings out of range, unknown ones and on HTTP APIs with 400', async () => {
    const apiId = await createWebSocketApi()
    expectError(
      await admin('PATCH', `/v2/apis/${apiId}`, { webSocket: { maxMessageBytes: 0 } }),
      400,
      'BadRequestException',
      /maxMessageBytes/
    )
    expectError(
      await admin('PATCH', `/v2/apis/${apiId}`, { webSocket: { maxFrames: 1 } }),
      400,
      'BadRequestException',
      /webSocket\.maxFrames/
    )
    const httpId = await createHttpApi()
    expectError(
      await admin('PATCH', `/v2/apis/${httpId}`, { webSocket: { maxMessageBytes: 10 } }),
      400,
      'BadRequestException',
      /only supported for WebSocket APIs/
    )
  })

  it('creates $connect, $disconnect, $default and custom routes with WebSocket fields', async () => {
    const apiId = await createWebSocketApi()
    const mock = await createMock(apiId)
    await createModel(apiId, 'Message')
    for (const key of ['$connect', '$disconnect', '$default']) await createRoute(apiId, key)
    const created = await admin('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: 'sendmessage',
      target: `integrations/${mock}`,
      routeResponseSelectionExpression: '$default',
      modelSelectionExpression: '$request.body.action',
      requestModels: { $default: 'Message' },
    })
    expect(created.status).toBe(201)
    expect(created.json).toEqual({
      apiKeyRequired: false,
      authorizationType: 'NONE',
      modelSelectionExpression: '$request.body.action',
      requestModels: { $default: 'Message' },
      routeId: created.json.routeId,
      routeKey: 'sendmessage',
      routeResponseSelectionExpression: '$default',
      target: `integrations/${mock}`,
    })
    const listed = await admin('GET', `/v2/apis/${apiId}/routes`)
    expect(listed.json.items.map((r: { routeKey: string }) => r.routeKey).sort()).toEqual([
      '$connect',
      '$default',
      '$disconnect',
      'sendmessage',
    ])
    const updated = await admin('PATCH', `/v2/apis/${apiId}/routes/${created.json.routeId}`, {
      modelSelectionExpression: '$request.body.kind',
    })
    expect(updated.json).toMatchObject({
      modelSelectionExpression: '$request.body.kind',
      routeResponseSelectionExpression: '$default',
    })
  })

  it('refuses to export a WebSocket API as OpenAPI with 400, as AWS', async () => {
    const apiId = await createWebSocketApi()
    expectError(
      await admin('GET', `/v2/apis/${apiId}/exports/OAS30?outputType=JSON`),
      400,
      'BadRequestException',
      /Only HTTP APIs can be exported/
    )
  })

  it('refuses reserved keys other than $connect/$disconnect/$default and a non-$default route response selection', async () => {
    const apiId = await createWebSocketApi()
    expectError(
      await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey: '$message' }),
      400,
      'BadRequestException',
      /reserved/
    )
    expectError(
      await admin('POST', `/v2/apis/${apiId}/routes`, {
        routeKey: 'send',
        routeResponseSelectionExpression: '$request.body.x',
      }),
      400,
      'BadRequestException',
      /must be \$default/
    )
  })

  it('refuses WebSocket-only route and integration fields on HTTP APIs with 400', async () => {
    const apiId = await createHttpApi()
    expectError(
      await admin('POST', `/v2/apis/${apiId}/routes`, {
        routeKey: 'GET /pets',
        routeResponseSelectionExpression: '$default',
      }),
      400,
      'BadRequestException',
      /'routeResponseSelectionExpression' is only supported for WebSocket APIs/
    )
    expectError(
      await admin('POST', `/v2/apis/${apiId}/integrations`, {
        integrationType: 'HTTP_PROXY',
        integrationUri: 'https://example.com',
        requestTemplates: { $default: '{}' },
      }),
      400,
      'BadRequestException',
      /'requestTemplates' is only supported for WebSocket APIs/
    )
  })

  it('creates a MOCK integration answering from request templates, without mockResponse', async () => {
    const apiId = await createWebSocketApi()
    const created = await admin('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'MOCK',
      requestTemplates: { $default: '{"statusCode": 200}' },
      templateSelectionExpression: '\\$default',
      passthroughBehavior: 'WHEN_NO_MATCH',
      integrationResponseSelectionExpression: '${integration.response.statuscode}',
    })
    expect(created.status).toBe(201)
    expect(created.json).toEqual({
      connectionType: 'INTERNET',
      integrationId: created.json.integrationId,
      integrationResponseSelectionExpression: '${integration.response.statuscode}',
      integrationType: 'MOCK',
      passthroughBehavior: 'WHEN_NO_MATCH',
      requestTemplates: { $default: '{"statusCode": 200}' },
      templateSelectionExpression: '\\$default',
      timeoutInMillis: 29000,
    })
    const stored = (await storedApi(apiId)).integrations as Record<string, unknown>[]
    expect(stored[0]).toMatchObject({
      type: 'MOCK',
      requestTemplates: { $default: '{"statusCode": 200}' },
      passthrough: {
        passthroughBehavior: 'WHEN_NO_MATCH',
        integrationResponseSelectionExpression: '${integration.response.statuscode}',
      },
    })
    const patched = await admin(
      'PATCH',
      `/v2/apis/${apiId}/integrations/${created.json.integrationId}`,
      { contentHandlingStrategy: 'CONVERT_TO_TEXT' }
    )
    expect(patched.json).toMatchObject({
      contentHandlingStrategy: 'CONVERT_TO_TEXT',
      passthroughBehavior: 'WHEN_NO_MATCH',
      requestTemplates: { $default: '{"statusCode": 200}' },
    })
  })

  it('stores AWS_PROXY as WORKER and reports payload format 1.0 for WebSocket APIs', async () => {
    const apiId = await createWebSocketApi()
    const created = await admin('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'AWS_PROXY',
      integrationUri:
        'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:demoBackend/invocations',
    })
    expect(created.json).toMatchObject({
      integrationType: 'WORKER',
      integrationUri: 'worker://DEMO_BACKEND',
      payloadFormatVersion: '1.0',
    })
    const http = await admin('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'HTTP',
      integrationUri: 'https://example.com/chat',
      integrationMethod: 'POST',
      requestTemplates: { $default: '{"msg": $input.body}' },
    })
    expect(http.status).toBe(201)
    expect(http.json.requestTemplates).toEqual({ $default: '{"msg": $input.body}' })
  })
})

describe('v2 route responses', () => {
  it('creates, gets, lists, updates and deletes a route response', async () => {
    const apiId = await createWebSocketApi()
    const routeId = await createRoute(apiId, 'sendmessage')
    await createModel(apiId, 'Reply')
    const base = `/v2/apis/${apiId}/routes/${routeId}/routeresponses`
    const created = await admin('POST', base, {
      routeResponseKey: '$default',
      modelSelectionExpression: '$default',
      responseModels: { $default: 'Reply' },
    })
    expect(created.status).toBe(201)
    const id: string = created.json.routeResponseId
    expect(created.json).toEqual({
      routeResponseId: id,
      routeResponseKey: '$default',
      modelSelectionExpression: '$default',
      responseModels: { $default: 'Reply' },
    })
    expect((await admin('GET', `${base}/${id}`)).json).toEqual(created.json)
    expect((await admin('GET', base)).json).toEqual({ items: [created.json] })
    const routes = (await storedApi(apiId)).routes as Record<string, unknown>[]
    expect(routes[0]?.routeResponses).toEqual([
      {
        id,
        routeResponseKey: '$default',
        modelSelectionExpression: '$default',
        responseModels: { $default: 'Reply' },
      },
    ])
    const updated = await admin('PATCH', `${base}/${id}`, { modelSelectionExpression: '$x' })
    expect(updated.json).toMatchObject({
      routeResponseKey: '$default',
      modelSelectionExpression: '$x',
    })
    expect((await admin('DELETE', `${base}/${id}`)).status).toBe(204)
    expectError(await admin('GET', `${base}/${id}`), 404, 'NotFoundException')
    const after = (await storedApi(apiId)).routes as Record<string, unknown>[]
    expect(after[0]?.routeResponses).toBeUndefined()
  })

  it('refuses a second $default with 409, other keys with 400, unknown routes with 404', async () => {
    const apiId = await createWebSocketApi()
    const routeId = await createRoute(apiId, '$default')
    const base = `/v2/apis/${apiId}/routes/${routeId}/routeresponses`
    expect((await admin('POST', base, { routeResponseKey: '$default' })).status).toBe(201)
    expectError(
      await admin('POST', base, { routeResponseKey: '$default' }),
      409,
      'ConflictException'
    )
    expectError(
      await admin('POST', base, { routeResponseKey: 'ok' }),
      400,
      'BadRequestException',
      /must be \$default/
    )
    expectError(
      await admin('POST', base, { routeResponseKey: '$default', responseParameters: {} }),
      400,
      'BadRequestException',
      /Unsupported field 'responseParameters'/
    )
    expectError(
      await admin('GET', `/v2/apis/${apiId}/routes/nosuchroute/routeresponses`),
      404,
      'NotFoundException',
      /Route identifier/
    )
  })

  it('answers 400 for route responses of an HTTP API', async () => {
    const apiId = await createHttpApi()
    const reply = await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey: 'GET /x' })
    expectError(
      await admin('GET', `/v2/apis/${apiId}/routes/${reply.json.routeId}/routeresponses`),
      400,
      'BadRequestException',
      /only supported for WebSocket APIs/
    )
  })

  it('drops a route response together with its route', async () => {
    const apiId = await createWebSocketApi()
    const routeId = await createRoute(apiId, 'join')
    const base = `/v2/apis/${apiId}/routes/${routeId}/routeresponses`
    expect((await admin('POST', base, { routeResponseKey: '$default' })).status).toBe(201)
    expect((await admin('DELETE', `/v2/apis/${apiId}/routes/${routeId}`)).status).toBe(204)
    expectError(await admin('GET', base), 404, 'NotFoundException')
  })
})

describe('v2 integration responses', () => {
  it('creates, gets, lists, updates and deletes an integration response', async () => {
    const apiId = await createWebSocketApi()
    const integrationId = await createMock(apiId)
    const base = `/v2/apis/${apiId}/integrations/${integrationId}/integrationresponses`
    const input = {
      integrationResponseKey: '$default',
      responseTemplates: { $default: '{"connectionId": "$context.connectionId"}' },
      templateSelectionExpression: '\\$default',
    }
    const created = await admin('POST', base, input)
    expect(created.status).toBe(201)
    const id: string = created.json.integrationResponseId
    expect(created.json).toEqual({ integrationResponseId: id, ...input })
    expect((await admin('GET', `${base}/${id}`)).json).toEqual(created.json)
    expect((await admin('GET', base)).json).toEqual({ items: [created.json] })
    const errors = await admin('POST', base, {
      integrationResponseKey: '/4\\d\\d/',
      responseTemplates: { $default: '{"error": true}' },
    })
    expect(errors.status).toBe(201)
    const updated = await admin('PATCH', `${base}/${id}`, {
      contentHandlingStrategy: 'CONVERT_TO_TEXT',
    })
    expect(updated.json).toEqual({ ...created.json, contentHandlingStrategy: 'CONVERT_TO_TEXT' })
    const stored = (await storedApi(apiId)).integrations as Record<string, unknown>[]
    expect(stored[0]?.integrationResponses).toEqual([
      { id, ...input, contentHandlingStrategy: 'CONVERT_TO_TEXT' },
      {
        id: errors.json.integrationResponseId,
        integrationResponseKey: '/4\\d\\d/',
        responseTemplates: { $default: '{"error": true}' },
      },
    ])
    expect((await admin('DELETE', `${base}/${id}`)).status).toBe(204)
    expectError(await admin('GET', `${base}/${id}`), 404, 'NotFoundException')
    expect((await admin('GET', base)).json.items).toHaveLength(1)
  })

  it('refuses bad keys with 400, a duplicate key with 409 and HTTP APIs with 400', async () => {
    const apiId = await createWebSocketApi()
    const integrationId = await createMock(apiId)
    const base = `/v2/apis/${apiId}/integrations/${integrationId}/integrationresponses`
    expectError(
      await admin('POST', base, { integrationResponseKey: '200' }),
      400,
      'BadRequestException',
      /status code pattern/
    )
    expectError(
      await admin('POST', base, { integrationResponseKey: '/(/' }),
      400,
      'BadRequestException',
      /not a valid regular expression/
    )
    expect((await admin('POST', base, { integrationResponseKey: '/2\\d\\d/' })).status).toBe(201)
    expectError(
      await admin('POST', base, { integrationResponseKey: '/2\\d\\d/' }),
      409,
      'ConflictException'
    )
    const httpId = await createHttpApi()
    const httpIntegration = await createIntegration(httpId)
    expectError(
      await admin('GET', `/v2/apis/${httpId}/integrations/${httpIntegration}/integrationresponses`),
      400,
      'BadRequestException',
      /only supported for WebSocket APIs/
    )
  })

  it('deploys a WebSocket API to a stage with its routes and responses', async () => {
    const apiId = await createWebSocketApi()
    const integrationId = await createMock(apiId)
    const ir = `/v2/apis/${apiId}/integrations/${integrationId}/integrationresponses`
    expect(
      (
        await admin('POST', ir, {
          integrationResponseKey: '$default',
          responseTemplates: { $default: 'hello' },
        })
      ).status
    ).toBe(201)
    const route = await admin('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: '$default',
      target: `integrations/${integrationId}`,
      routeResponseSelectionExpression: '$default',
    })
    const rr = `/v2/apis/${apiId}/routes/${route.json.routeId}/routeresponses`
    expect((await admin('POST', rr, { routeResponseKey: '$default' })).status).toBe(201)
    const stage = await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: 'dev' })
    expect(stage.status).toBe(201)
    const deployment = await admin('POST', `/v2/apis/${apiId}/deployments`, { stageName: 'dev' })
    expect(deployment.status).toBe(201)
    const stored = JSON.parse(
      (await env.ROUTES.get(`deployment/${apiId}/${deployment.json.deploymentId}`)) ?? '{}'
    )
    expect(stored.api.routes[0].routeResponses).toHaveLength(1)
    expect(stored.api.integrations[0].integrationResponses[0].responseTemplates).toEqual({
      $default: 'hello',
    })
    expect((await admin('GET', `/v2/apis/${apiId}/stages/dev`)).json.deploymentId).toBe(
      deployment.json.deploymentId
    )
  })
})
