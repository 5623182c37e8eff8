import { describe, expect, it } from 'vitest'
import { dataPlane, upstream, writeStage } from '../../../support/seed'
import { admin } from '../../../admin/helpers'
import { insertKey, insertPlan } from '../../support'
import { bindingCalls, receivedEvent, seedAuthorizedApi, token } from './support'

const REQUEST_SOURCES = ['$request.header.x-token', '$request.querystring.tenant']

function call(host: string, path: string, headers: Record<string, string> = {}) {
  return dataPlane(host, path, { headers: { 'user-agent': 'ua-test', ...headers } })
}

describe('REQUEST authorizer, payload 1.0 (REST)', () => {
  async function restApi() {
    return seedAuthorizedApi({
      authorizer: { authorizerType: 'REQUEST', identitySource: REQUEST_SOURCES },
    })
  }

  it('sends the AWS 1.0 REQUEST event and admits an Allow', async () => {
    const { host, apiId } = await restApi()
    const value = token('echo')
    const event = await receivedEvent(
      await call(host, '/dev/pets/7?tenant=t1&tenant=t2', { 'x-token': value })
    )
    const sent = JSON.parse(
      (event.requestContext as { authorizer: { event: string } }).authorizer.event
    ) as Record<string, unknown>
    expect(Object.keys(sent)).toEqual([
      'type',
      'methodArn',
      'resource',
      'path',
      'httpMethod',
      'headers',
      'multiValueHeaders',
      'queryStringParameters',
      'multiValueQueryStringParameters',
      'pathParameters',
      'stageVariables',
      'requestContext',
    ])
    expect(sent).toMatchObject({
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/dev/GET/pets/7`,
      resource: '/pets/{id}',
      path: '/pets/7',
      httpMethod: 'GET',
      headers: expect.objectContaining({ 'x-token': value }) as unknown,
      queryStringParameters: { tenant: 't2' },
      multiValueQueryStringParameters: { tenant: ['t1', 't2'] },
      pathParameters: { id: '7' },
      requestContext: expect.objectContaining({
        apiId,
        stage: 'dev',
        resourcePath: '/pets/{id}',
      }) as unknown,
    })
  })

  it('refuses with 401 and no call when any identity source is missing', async () => {
    const { host } = await restApi()
    const value = token('allow')
    expect((await call(host, '/dev/pets/7', { 'x-token': value })).status).toBe(401)
    expect((await call(host, '/dev/pets/7?tenant=', { 'x-token': value })).status).toBe(401)
    expect((await call(host, '/dev/pets/7?tenant=t1')).status).toBe(401)
    expect(await bindingCalls(value)).toBe(0)
  })

  it('calls the authorizer once for repeated requests with the same identity (cache hit)', async () => {
    const { host } = await restApi()
    const value = token('allow-wildcard')
    for (let i = 0; i < 5; i++) {
      expect(
        (await call(host, `/dev/pets/${String(i)}?tenant=t1`, { 'x-token': value })).status
      ).toBe(200)
    }
    expect(await bindingCalls(value)).toBe(1)
    // Another tenant value is another identity: a second call.
    expect((await call(host, '/dev/pets/1?tenant=t2', { 'x-token': value })).status).toBe(200)
    expect(await bindingCalls(value)).toBe(2)
  })

  it('shares one authorizer call between concurrent requests of one identity', async () => {
    const { host } = await restApi()
    const value = token('allow-wildcard')
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => call(host, '/dev/pets/1?tenant=t1', { 'x-token': value }))
    )
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(await bindingCalls(value)).toBe(1)
  })

  it('calls again once the TTL has passed', async () => {
    const { host } = await seedAuthorizedApi({
      authorizer: {
        authorizerType: 'REQUEST',
        identitySource: REQUEST_SOURCES,
        authorizerResultTtlInSeconds: 1,
      },
    })
    const value = token('allow-wildcard')
    const send = () => call(host, '/dev/pets/1?tenant=t1', { 'x-token': value })
    expect((await send()).status).toBe(200)
    expect((await send()).status).toBe(200)
    expect(await bindingCalls(value)).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect((await send()).status).toBe(200)
    expect(await bindingCalls(value)).toBe(2)
  })

  it('calls again after FlushStageAuthorizersCache, for every identity of the stage', async () => {
    const { host, apiId } = await restApi()
    const value = token('allow-wildcard')
    const send = () => call(host, '/dev/pets/1?tenant=t1', { 'x-token': value })
    expect((await send()).status).toBe(200)
    expect((await send()).status).toBe(200)
    expect(await bindingCalls(value)).toBe(1)
    const flushed = await admin('DELETE', `/restapis/${apiId}/stages/dev/cache/authorizers`)
    expect(flushed.status).toBe(202)
    expect((await send()).status).toBe(200)
    expect(await bindingCalls(value)).toBe(2)
    expect((await send()).status).toBe(200)
    expect(await bindingCalls(value)).toBe(2)
  })

  it('calls again in every isolate once the stage carries a new authorizer cache generation', async () => {
    // What another isolate's flush leaves behind: only the stage document changed (no in-memory
    // drop here); this isolate must stop using its entries after its config reload.
    const { host, apiId, deploymentId } = await restApi()
    const value = token('allow-wildcard')
    const send = () => call(host, '/dev/pets/1?tenant=t1', { 'x-token': value })
    expect((await send()).status).toBe(200)
    expect(await bindingCalls(value)).toBe(1)
    await writeStage({ apiId, stageName: 'dev', deploymentId, authorizerCacheGeneration: 1 })
    // CONFIG_CACHE_SECONDS is 1 in tests; the reload happens within two windows.
    await new Promise((resolve) => setTimeout(resolve, 2100))
    expect((await send()).status).toBe(200)
    expect((await send()).status).toBe(200)
    expect(await bindingCalls(value)).toBe(2)
  })

  it('calls on every request with TTL 0', async () => {
    const { host } = await seedAuthorizedApi({
      authorizer: {
        authorizerType: 'REQUEST',
        identitySource: REQUEST_SOURCES,
        authorizerResultTtlInSeconds: 0,
      },
    })
    const value = token('allow')
    for (let i = 0; i < 3; i++) await call(host, '/dev/pets/1?tenant=t', { 'x-token': value })
    expect(await bindingCalls(value)).toBe(3)
  })

  it('caches a Deny too, and never an error', async () => {
    const { host } = await restApi()
    const denied = token('deny')
    const failing = token('error-500')
    for (let i = 0; i < 2; i++) {
      expect((await call(host, '/dev/pets/1?tenant=t', { 'x-token': denied })).status).toBe(403)
      expect((await call(host, '/dev/pets/1?tenant=t', { 'x-token': failing })).status).toBe(500)
    }
    expect(await bindingCalls(denied)).toBe(1)
    expect(await bindingCalls(failing)).toBe(2)
  })

  it('feeds usageIdentifierKey to the API key check (apiKeySource AUTHORIZER)', async () => {
    const routes = [
      {
        id: 'r1',
        routeKey: 'GET /pets/{id}',
        integrationId: 'backend',
        authorizationType: 'CUSTOM' as const,
        authorizerId: 'auth1',
        apiKeyRequired: true,
      },
    ]
    const seeded = await seedAuthorizedApi({
      routes,
      authorizer: { authorizerType: 'REQUEST', identitySource: REQUEST_SOURCES },
      apiExtras: { apiKeySource: 'AUTHORIZER' },
    })
    const planId = await insertPlan({ apiStages: [{ apiId: seeded.apiId, stage: 'dev' }] })
    const key = await insertKey([planId])
    const ok = await call(seeded.host, '/dev/pets/1?tenant=t', {
      'x-token': token('usage', key.value),
      // The client's own x-api-key is ignored with apiKeySource AUTHORIZER.
      'x-api-key': 'ptk_wrong_key_0123456789abcdef',
    })
    const event = await receivedEvent(ok)
    const identity = (event.requestContext as { identity: { apiKeyId: string } }).identity
    expect(identity.apiKeyId).toBe(key.id)
    const unknown = await call(seeded.host, '/dev/pets/1?tenant=t', {
      'x-token': token('usage', 'ptk_unknown_0123456789abcdef0123'),
      'x-api-key': key.value,
    })
    expect(unknown.status).toBe(403)
  })

  it('ignores usageIdentifierKey unless apiKeySource is AUTHORIZER', async () => {
    const { host } = await restApi()
    const res = await call(host, '/dev/pets/1?tenant=t', { 'x-token': token('usage', 'ptk_x') })
    const identity = ((await receivedEvent(res)).requestContext as { identity: unknown }).identity
    expect(identity).toMatchObject({ apiKey: null, apiKeyId: null })
  })
})

describe('REQUEST authorizer, payload 2.0 (HTTP API)', () => {
  it('sends the AWS 2.0 event with routeArn and identitySource[]', async () => {
    const { host, apiId } = await seedAuthorizedApi({
      protocolType: 'HTTP',
      authorizer: { authorizerType: 'REQUEST', identitySource: REQUEST_SOURCES },
    })
    const value = token('echo')
    const event = await receivedEvent(
      await call(host, '/dev/pets/7?tenant=t1', { 'x-token': value, cookie: 'a=1' })
    )
    const lambda = (event.requestContext as { authorizer: { lambda: { event: string } } })
      .authorizer.lambda
    const sent = JSON.parse(lambda.event) as Record<string, unknown>
    expect(sent).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/dev/GET/pets/7`,
      identitySource: [value, 't1'],
      routeKey: 'GET /pets/{id}',
      rawPath: '/dev/pets/7',
      rawQueryString: 'tenant=t1',
      cookies: ['a=1'],
      queryStringParameters: { tenant: 't1' },
      pathParameters: { id: '7' },
    })
    expect(sent).not.toHaveProperty('body')
    expect(sent).not.toHaveProperty('isBase64Encoded')
  })

  it('answers simple responses: isAuthorized true passes context, false is 403', async () => {
    const { host } = await seedAuthorizedApi({
      protocolType: 'HTTP',
      authorizer: {
        authorizerType: 'REQUEST',
        identitySource: ['$request.header.x-token'],
        enableSimpleResponses: true,
      },
    })
    const event = await receivedEvent(
      await call(host, '/dev/pets/1', { 'x-token': token('simple-true') })
    )
    expect((event.requestContext as { authorizer: unknown }).authorizer).toEqual({
      lambda: { user: 'alice', n: 42, ok: true },
    })
    const refused = await call(host, '/dev/pets/1', { 'x-token': token('simple-false') })
    expect(refused.status).toBe(403)
    expect(await refused.json()).toEqual({ message: 'Forbidden' })
  })

  it('maps $context.authorizer.* into integration request parameters', async () => {
    const { host } = await seedAuthorizedApi({
      protocolType: 'HTTP',
      authorizer: {
        authorizerType: 'REQUEST',
        identitySource: ['$request.header.x-token'],
        enableSimpleResponses: true,
      },
      integrations: [
        {
          id: 'backend',
          type: 'HTTP_PROXY',
          integrationUri: upstream('/echo/pets'),
          requestParameters: {
            'overwrite:header.x-user': '$context.authorizer.user',
            'overwrite:header.x-n': '$context.authorizer.n',
          },
        },
      ],
    })
    const res = await call(host, '/dev/pets/1', { 'x-token': token('simple-true') })
    expect(res.status).toBe(200)
    const echoed: { headers: Record<string, string> } = await res.json()
    expect(echoed.headers['x-user']).toBe('alice')
    expect(echoed.headers['x-n']).toBe('42')
  })

  it('answers 401 Unauthorized for a missing identity source on an HTTP API', async () => {
    const { host } = await seedAuthorizedApi({
      protocolType: 'HTTP',
      authorizer: { authorizerType: 'REQUEST', identitySource: ['$request.header.x-token'] },
    })
    const res = await call(host, '/dev/pets/1')
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ message: 'Unauthorized' })
  })
})
