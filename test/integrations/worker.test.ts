import { describe, expect, it } from 'vitest'
import type { LambdaEventV1, LambdaEventV2 } from '../../src/integrations'
import { makeApi, makeRequestContext, makeRoute } from '../support/request-context'
import { build, buildError, expectGatewayError } from './build-helpers'

const restApi = makeApi({ protocolType: 'REST', binaryMediaTypes: ['image/png'] })
const httpApi = makeApi({ protocolType: 'HTTP' })
const route = makeRoute({ id: 'res123', routeKey: 'POST /pets/{petId}' })

function worker(
  api = httpApi,
  extra: { timeoutInMillis?: number; payloadFormatVersion?: '1.0' | '2.0' } = {}
) {
  return build(
    { type: 'WORKER', integrationUri: 'worker://DEMO_BACKEND', ...extra },
    { api, route }
  )
}

function ctxFor(
  api = httpApi,
  path = '/dev/pets/42?a=1&a=2&b=3',
  init: { body?: BodyInit; headers?: Record<string, string>; method?: string } = {}
) {
  return makeRequestContext({
    api,
    route,
    request: path,
    method: init.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'test-agent',
      cookie: 'c1=v1; c2=v2',
      ...init.headers,
    },
    body: init.body ?? '{"hello":"world"}',
    pathParameters: { petId: '42' },
    stageVariables: { env: 'dev' },
  })
}

async function received<T>(response: Response): Promise<T> {
  expect(response.status).toBe(200)
  const body = await response.json<{ received: T }>()
  return body.received
}

describe('WORKER integration: payload format 1.0 event', () => {
  it('sends AWS field names, values and null conventions (golden shape)', async () => {
    const event = await received<LambdaEventV1>(await worker(restApi)(ctxFor(restApi)))
    expect(event).toEqual({
      resource: '/pets/{petId}',
      path: '/pets/42',
      httpMethod: 'POST',
      headers: expect.objectContaining({
        'content-type': 'application/json',
        'user-agent': 'test-agent',
      }),
      multiValueHeaders: expect.objectContaining({ 'user-agent': ['test-agent'] }),
      queryStringParameters: { a: '2', b: '3' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['3'] },
      pathParameters: { petId: '42' },
      stageVariables: { env: 'dev' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'abc123defg',
        domainName: 'abc123defg.execute-api.localhost',
        domainPrefix: 'abc123defg',
        extendedRequestId: 'c0ffee00-0000-4000-8000-000000000001',
        httpMethod: 'POST',
        identity: {
          accessKey: null,
          accountId: null,
          apiKey: null,
          apiKeyId: null,
          caller: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: '198.51.100.7',
          user: null,
          userAgent: 'test-agent',
          userArn: null,
        },
        path: '/dev/pets/42',
        protocol: 'HTTP/1.1',
        requestId: 'c0ffee00-0000-4000-8000-000000000001',
        requestTime: '04/Mar/2026:19:15:17 +0000',
        requestTimeEpoch: Date.UTC(2026, 2, 4, 19, 15, 17, 135),
        resourceId: 'res123',
        resourcePath: '/pets/{petId}',
        stage: 'dev',
      },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
    })
  })

  it('uses null for empty maps and a missing body', async () => {
    const ctx = makeRequestContext({ api: restApi, route, request: '/dev/pets/42', method: 'GET' })
    const event = await received<LambdaEventV1>(await worker(restApi)(ctx))
    expect(event.queryStringParameters).toBeNull()
    expect(event.multiValueQueryStringParameters).toBeNull()
    expect(event.pathParameters).toBeNull()
    expect(event.stageVariables).toBeNull()
    expect(event.body).toBeNull()
    expect(event.version).toBeUndefined()
  })

  it('carries authorizer context and principal', async () => {
    const ctx = ctxFor(restApi)
    ctx.identity = { principalId: 'user-1', authorizerContext: { tier: 'gold' } }
    const event = await received<LambdaEventV1>(await worker(restApi)(ctx))
    expect(event.requestContext.authorizer).toEqual({ principalId: 'user-1', tier: 'gold' })
  })
})

describe('WORKER integration: payload format 2.0 event', () => {
  it('sends AWS field names and conventions (golden shape)', async () => {
    const event = await received<LambdaEventV2>(await worker()(ctxFor()))
    expect(event).toEqual({
      version: '2.0',
      routeKey: 'POST /pets/{petId}',
      rawPath: '/dev/pets/42',
      rawQueryString: 'a=1&a=2&b=3',
      cookies: ['c1=v1', 'c2=v2'],
      headers: expect.objectContaining({
        'content-type': 'application/json',
        'user-agent': 'test-agent',
      }),
      queryStringParameters: { a: '1,2', b: '3' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'abc123defg',
        domainName: 'abc123defg.execute-api.localhost',
        domainPrefix: 'abc123defg',
        http: {
          method: 'POST',
          path: '/dev/pets/42',
          protocol: 'HTTP/1.1',
          sourceIp: '198.51.100.7',
          userAgent: 'test-agent',
        },
        requestId: 'c0ffee00-0000-4000-8000-000000000001',
        routeKey: 'POST /pets/{petId}',
        stage: 'dev',
        time: '04/Mar/2026:19:15:17 +0000',
        timeEpoch: Date.UTC(2026, 2, 4, 19, 15, 17, 135),
      },
      body: '{"hello":"world"}',
      pathParameters: { petId: '42' },
      isBase64Encoded: false,
      stageVariables: { env: 'dev' },
    })
    expect(event.headers.cookie).toBeUndefined()
  })

  it('leaves out empty optional fields', async () => {
    const ctx = makeRequestContext({ api: httpApi, route, request: '/dev/pets/42', method: 'GET' })
    const event = await received<LambdaEventV2>(await worker()(ctx))
    for (const key of [
      'cookies',
      'queryStringParameters',
      'pathParameters',
      'stageVariables',
      'body',
    ]) {
      expect(event).not.toHaveProperty(key)
    }
  })

  it('honours payloadFormatVersion 1.0 on an HTTP API (with version "1.0")', async () => {
    const event = await received<LambdaEventV1>(
      await worker(httpApi, { payloadFormatVersion: '1.0' })(ctxFor())
    )
    expect(event.version).toBe('1.0')
    expect(event.httpMethod).toBe('POST')
  })
})

describe('WORKER integration: responses', () => {
  it('merges headers and multiValueHeaders, multi values winning', async () => {
    const response = await worker(restApi)(ctxFor(restApi, '/dev/multi'))
    expect(response.status).toBe(202)
    expect(response.headers.get('x-both')).toBe('m1, m2')
    expect(response.headers.get('x-only-single')).toBe('yes')
    expect(response.headers.get('x-num')).toBe('42')
    expect(await response.text()).toBe('multi')
  })

  it('turns 2.0 cookies into Set-Cookie and strips hop-by-hop headers', async () => {
    const response = await worker()(ctxFor(httpApi, '/dev/cookies'))
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly'])
    expect(response.headers.has('x-single')).toBe(false) // listed in Connection
    expect(response.headers.has('keep-alive')).toBe(false)
    expect(await response.text()).toBe('with cookies')
  })

  it('infers 200 application/json for 2.0 JSON without statusCode', async () => {
    const response = await worker()(ctxFor(httpApi, '/dev/inferred'))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual({ hello: 'world' })
    const plain = await worker()(ctxFor(httpApi, '/dev/plain-string'))
    expect(await plain.text()).toBe('"just a string"')
  })

  it('round-trips a binary body as base64', async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x80])
    for (const api of [restApi, httpApi]) {
      const ctx = ctxFor(api, '/dev/echo-body', {
        body: bytes,
        headers: { 'content-type': 'image/png' },
      })
      const response = await worker(api)(ctx)
      expect(response.status).toBe(201)
      expect(response.headers.get('content-type')).toBe('image/png')
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes)
    }
  })

  it('sends text of a binaryMediaTypes content type as base64 too', async () => {
    const ctx = ctxFor(restApi, '/dev/pets/42', {
      body: 'PNG?',
      headers: { 'content-type': 'image/png' },
    })
    const event = await received<LambdaEventV1>(await worker(restApi)(ctx))
    expect(event.isBase64Encoded).toBe(true)
    expect(atob(event.body ?? '')).toBe('PNG?')
  })
})

describe('WORKER integration: faults', () => {
  it.each([
    ['not JSON', '/dev/malformed', httpApi],
    ['a non-integer statusCode', '/dev/bad-shape', httpApi],
    ['a backend that throws', '/dev/throws', httpApi],
    ['a non-200 invocation', '/dev/http-500', httpApi],
    ['JSON without statusCode in 1.0', '/dev/plain-string', restApi],
    ['a non-string body', '/dev/body-not-string', restApi],
    ['invalid base64', '/dev/bad-base64', restApi],
    ['a header with CR/LF', '/dev/header-injection', restApi],
    ['a response over 6 MB', '/dev/huge', restApi],
  ])('maps %s to MALFORMED_INTEGRATION_RESPONSE', async (_name, path, api) => {
    await expectGatewayError(worker(api), ctxFor(api, path), 'MALFORMED_INTEGRATION_RESPONSE')
  })

  it('maps a slow backend to INTEGRATION_TIMEOUT', async () => {
    const handler = worker(httpApi, { timeoutInMillis: 100 })
    await expectGatewayError(handler, ctxFor(httpApi, '/dev/slow?ms=2000'), 'INTEGRATION_TIMEOUT')
  })

  it('refuses a request body over 6 MB with REQUEST_TOO_LARGE', async () => {
    const body = new Uint8Array(6 * 1024 * 1024 + 1)
    await expectGatewayError(worker(), ctxFor(httpApi, '/dev/x', { body }), 'REQUEST_TOO_LARGE')
  })

  it('answers API_CONFIGURATION_ERROR for a binding that does not exist', async () => {
    const handler = build({ type: 'WORKER', integrationUri: 'worker://NO_SUCH_BINDING' }, { route })
    await expectGatewayError(handler, ctxFor(), 'API_CONFIGURATION_ERROR')
  })

  it('answers API_CONFIGURATION_ERROR for a binding that is not a service binding', async () => {
    const handler = build({ type: 'WORKER', integrationUri: 'worker://ROUTES' }, { route })
    await expectGatewayError(handler, ctxFor(), 'API_CONFIGURATION_ERROR')
  })
})

describe('WORKER integration: function name from a stage variable', () => {
  const uri = 'worker://${stageVariables.fn}'

  it("invokes the binding named by the stage variable's value in UPPER_SNAKE", async () => {
    const handler = build(
      { type: 'WORKER', integrationUri: uri },
      { route, stageVariables: { fn: 'portico-demo-backend' } }
    )
    await expectGatewayError(handler, ctxFor(), 'API_CONFIGURATION_ERROR')
    const served = build(
      { type: 'WORKER', integrationUri: uri },
      { route, stageVariables: { fn: 'demo-backend' } }
    )
    const res = await served(ctxFor())
    expect(res.headers.get('x-backend')).toBe('lambda')
  })

  it('refuses to build when the stage does not set the variable', () => {
    const result = buildError({ type: 'WORKER', integrationUri: uri }, { route })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toContain('stage variable fn')
  })
})
