import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, createHttpApi, expectError } from './helpers'

describe('v2 APIs', () => {
  it('creates an HTTP API with AWS defaults and its execute-api endpoint', async () => {
    const reply = await admin('POST', '/v2/apis', {
      name: 'pets',
      protocolType: 'HTTP',
      description: 'd',
      version: '1',
      tags: { team: 'a' },
    })
    expect(reply.status).toBe(201)
    const id: string = reply.json.apiId
    expect(id).toMatch(/^[a-z0-9]{10}$/)
    expect(reply.json).toMatchObject({
      name: 'pets',
      protocolType: 'HTTP',
      description: 'd',
      version: '1',
      tags: { team: 'a' },
      routeSelectionExpression: '$request.method $request.path',
      apiKeySelectionExpression: '$request.header.x-api-key',
      disableExecuteApiEndpoint: false,
      apiEndpoint: `http://${id}.execute-api.localhost`,
    })
    expect(reply.json.createdDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const got = await admin('GET', `/v2/apis/${id}`)
    expect(got.status).toBe(200)
    expect(got.json).toEqual(reply.json)
  })

  it('creates a WebSocket API with a ws:// endpoint and requires its route selection', async () => {
    expectError(
      await admin('POST', '/v2/apis', { name: 'ws', protocolType: 'WEBSOCKET' }),
      400,
      'BadRequestException',
      /routeSelectionExpression/
    )
    const reply = await admin('POST', '/v2/apis', {
      name: 'ws',
      protocolType: 'WEBSOCKET',
      routeSelectionExpression: '$request.body.action',
    })
    expect(reply.status).toBe(201)
    expect(reply.json.apiEndpoint).toBe(`ws://${String(reply.json.apiId)}.execute-api.localhost`)
  })

  it.each([
    [{ protocolType: 'HTTP' }, /'name' is required/],
    [{ name: 'x' }, /'protocolType' is required/],
    [{ name: 'x', protocolType: 'REST' }, /'protocolType' must be one of HTTP, WEBSOCKET/],
    [{ name: 7, protocolType: 'HTTP' }, /'name' must be a string/],
    [{ name: 'x', protocolType: 'HTTP', tags: { a: 1 } }, /'tags\.a' must be a string/],
    [{ name: 'x', protocolType: 'HTTP', colour: 'red' }, /Unsupported field 'colour'/],
    [{ name: 'x', protocolType: 'HTTP', target: 'ftp://x' }, /'target'/],
    [
      { name: 'x', protocolType: 'HTTP', routeSelectionExpression: '$request.body.x' },
      /routeSelectionExpression/,
    ],
    [{ name: 'x', protocolType: 'HTTP', routeKey: 'GET /x' }, /'routeKey' is only allowed/],
  ])('refuses CreateApi %j with a 400 naming the field', async (body, pattern) => {
    expectError(await admin('POST', '/v2/apis', body), 400, 'BadRequestException', pattern)
  })

  it('refuses a body that is not a JSON object', async () => {
    expectError(await admin('POST', '/v2/apis', '{nope'), 400, 'BadRequestException', /JSON/)
    expectError(await admin('POST', '/v2/apis', '[1]'), 400, 'BadRequestException', /object/)
  })

  it('quick-creates a $default route, HTTP_PROXY integration and auto-deployed $default stage', async () => {
    const reply = await admin('POST', '/v2/apis', {
      name: 'quick',
      protocolType: 'HTTP',
      target: 'https://example.com/backend',
    })
    expect(reply.status).toBe(201)
    const id: string = reply.json.apiId
    const routes = await admin('GET', `/v2/apis/${id}/routes`)
    expect(routes.json.items).toHaveLength(1)
    const route = routes.json.items[0]
    expect(route.routeKey).toBe('$default')
    const integrations = await admin('GET', `/v2/apis/${id}/integrations`)
    const integration = integrations.json.items[0]
    expect(route.target).toBe(`integrations/${String(integration.integrationId)}`)
    expect(integration).toMatchObject({
      integrationType: 'HTTP_PROXY',
      integrationUri: 'https://example.com/backend',
      integrationMethod: 'ANY',
      payloadFormatVersion: '1.0',
    })
    const stage = await admin('GET', `/v2/apis/${id}/stages/$default`)
    expect(stage.status).toBe(200)
    expect(stage.json.autoDeploy).toBe(true)
    const deployment = await admin(
      'GET',
      `/v2/apis/${id}/deployments/${String(stage.json.deploymentId)}`
    )
    expect(deployment.json).toMatchObject({ deploymentStatus: 'DEPLOYED', autoDeployed: true })
  })

  it('quick-creates a WORKER integration from a Lambda ARN, with a chosen route key', async () => {
    const reply = await admin('POST', '/v2/apis', {
      name: 'fn',
      protocolType: 'HTTP',
      target: 'arn:aws:lambda:us-east-1:123456789012:function:my-function',
      routeKey: 'POST /orders',
    })
    expect(reply.status).toBe(201)
    const id: string = reply.json.apiId
    const integrations = await admin('GET', `/v2/apis/${id}/integrations`)
    expect(integrations.json.items[0]).toMatchObject({
      integrationType: 'WORKER',
      integrationUri: 'worker://MY_FUNCTION',
      payloadFormatVersion: '2.0',
    })
    const routes = await admin('GET', `/v2/apis/${id}/routes`)
    expect(routes.json.items[0].routeKey).toBe('POST /orders')
  })

  it('lists APIs page by page with maxResults and nextToken', async () => {
    const ids = [await createHttpApi(), await createHttpApi(), await createHttpApi()]
    const seen: string[] = []
    let token: string | undefined
    for (let i = 0; i < 100; i++) {
      const q = token === undefined ? '' : `&nextToken=${encodeURIComponent(token)}`
      const page = await admin('GET', `/v2/apis?maxResults=1${q}`)
      expect(page.status).toBe(200)
      expect(page.json.items.length).toBeLessThanOrEqual(1)
      for (const item of page.json.items) seen.push(item.apiId)
      token = page.json.nextToken
      if (token === undefined) break
    }
    for (const id of ids) expect(seen).toContain(id)
    expect(new Set(seen).size).toBe(seen.length)
    expectError(
      await admin('GET', '/v2/apis?maxResults=0'),
      400,
      'BadRequestException',
      /maxResults/
    )
    expectError(
      await admin('GET', '/v2/apis?nextToken=%%%'),
      400,
      'BadRequestException',
      /nextToken/
    )
  })

  it('answers 404 NotFoundException for an unknown API, everywhere under it', async () => {
    for (const path of ['', '/routes', '/integrations', '/stages', '/deployments']) {
      expectError(await admin('GET', `/v2/apis/zzzzzzzzzz${path}`), 404, 'NotFoundException')
    }
    expectError(await admin('DELETE', '/v2/apis/zzzzzzzzzz'), 404, 'NotFoundException')
  })

  it('does not show REST APIs through apigatewayv2', async () => {
    const rest = {
      schemaVersion: 1,
      id: 'restapi001',
      name: 'rest',
      protocolType: 'REST',
      createdDate: '2024-01-01T00:00:00Z',
      routes: [],
      integrations: [],
    }
    await env.ROUTES.put('api/restapi001', JSON.stringify(rest))
    expectError(await admin('GET', '/v2/apis/restapi001'), 404, 'NotFoundException')
  })

  it('updates an API with PATCH and refuses bad fields', async () => {
    const id = await createHttpApi()
    const reply = await admin('PATCH', `/v2/apis/${id}`, { name: 'renamed', description: 'new' })
    expect(reply.status).toBe(200)
    expect(reply.json).toMatchObject({ apiId: id, name: 'renamed', description: 'new' })
    expect((await admin('GET', `/v2/apis/${id}`)).json.name).toBe('renamed')
    expectError(
      await admin('PATCH', `/v2/apis/${id}`, { disableExecuteApiEndpoint: 'yes' }),
      400,
      'BadRequestException',
      /'disableExecuteApiEndpoint' must be a boolean/
    )
  })

  it('deletes an API with its stages and deployments, and records the writes', async () => {
    const reply = await admin('POST', '/v2/apis', {
      name: 'gone',
      protocolType: 'HTTP',
      target: 'https://example.com',
    })
    const id: string = reply.json.apiId
    expect((await admin('DELETE', `/v2/apis/${id}`)).status).toBe(204)
    expectError(await admin('GET', `/v2/apis/${id}`), 404, 'NotFoundException')
    expect((await env.ROUTES.list({ prefix: `stage/${id}/` })).keys).toHaveLength(0)
    expect((await env.ROUTES.list({ prefix: `deployment/${id}/` })).keys).toHaveLength(0)
    const rows = await env.DB.prepare(
      'SELECT action FROM admin_audit_log WHERE resource = ? ORDER BY id'
    )
      .bind(`/v2/apis/${id}`)
      .all<{ action: string }>()
    expect(rows.results.map((r) => r.action)).toEqual(['CreateApi', 'DeleteApi'])
  })
})
