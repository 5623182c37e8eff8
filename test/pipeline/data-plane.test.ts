import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { KV_KEYS } from '../../src/storage/config-store'
import type { IntegrationConfig, RouteConfig } from '../../src/config/types'
import { dataPlane, makeApi, seedApi, upstream, writeDeployment, writeStage } from '../support/seed'

const mock = (id: string, body: string, statusCode = 200): IntegrationConfig => ({
  id,
  type: 'MOCK',
  mockResponse: { statusCode, headers: { 'content-type': 'text/plain' }, body },
})
const route = (id: string, routeKey: string, integrationId: string): RouteConfig => ({
  id,
  routeKey,
  integrationId,
})

async function hits(tag: string): Promise<number> {
  const res = await fetch(upstream(`/hits/${tag}`))
  const body: { hits: number } = await res.json()
  return body.hits
}

describe('data plane routing', () => {
  it('serves a MOCK route at {apiId}.execute-api.localhost/{stage}/path with a request id', async () => {
    const { host } = await seedApi({
      routes: [route('r1', 'GET /health', 'm1')],
      integrations: [mock('m1', 'ok')],
    })
    const res = await dataPlane(host, '/dev/health')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('ok')
    expect(res.headers.get('x-amzn-RequestId')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('answers an unknown REST route with 403 Missing Authentication Token and no upstream call', async () => {
    const tag = `unknown-${crypto.randomUUID()}`
    const { host } = await seedApi({
      routes: [route('r1', 'ANY /pets/{proxy+}', 'p1')],
      integrations: [{ id: 'p1', type: 'HTTP_PROXY', integrationUri: upstream('/echo/{proxy}') }],
    })
    const res = await dataPlane(host, '/dev/cats', { headers: { 'x-test-tag': tag } })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' })
    expect(res.headers.get('x-amzn-ErrorType')).toBe('MissingAuthenticationTokenException')
    expect(await hits(tag)).toBe(0)
  })

  it('answers a REST API request for an unknown stage with 403', async () => {
    const { host } = await seedApi({
      routes: [route('r1', 'GET /health', 'm1')],
      integrations: [mock('m1', 'ok')],
    })
    const res = await dataPlane(host, '/prod/health')
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' })
  })

  it('answers an unknown HTTP API route with 404 Not Found and apigw-requestid', async () => {
    const { host } = await seedApi({
      protocolType: 'HTTP',
      routes: [route('r1', 'GET /health', 'm1')],
      integrations: [mock('m1', 'ok')],
    })
    const res = await dataPlane(host, '/dev/nothing')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ message: 'Not Found' })
    expect(res.headers.get('apigw-requestid')).not.toBeNull()
  })

  it("serves an HTTP API's $default stage from the root and its $default route as catch-all", async () => {
    const { host } = await seedApi({
      protocolType: 'HTTP',
      stageName: '$default',
      routes: [route('r1', 'GET /health', 'm1'), route('r2', '$default', 'm2')],
      integrations: [mock('m1', 'health'), mock('m2', 'fallback')],
    })
    expect(await (await dataPlane(host, '/health')).text()).toBe('health')
    expect(await (await dataPlane(host, '/any/thing')).text()).toBe('fallback')
  })

  // workerd resolves raw and %2e dot segments and turns \ into / before the worker runs (see
  // docs/routing.md); the gateway sees — and routes, limits and forwards — only the resolved path.
  it('rejects ambiguous paths with 400 before routing, without calling the upstream', async () => {
    const tag = `ambiguous-${crypto.randomUUID()}`
    const { host } = await seedApi({
      routes: [route('r1', 'ANY /{proxy+}', 'p1')],
      integrations: [{ id: 'p1', type: 'HTTP_PROXY', integrationUri: upstream('/echo/{proxy}') }],
    })
    for (const path of [
      '/dev/a%2fb',
      '/dev/a%5cb',
      '/dev/a;x=1',
      '/dev/a%00b',
      '/dev//a',
      '/dev/a%252e%252e/b',
    ]) {
      const res = await dataPlane(host, path, { headers: { 'x-test-tag': tag } })
      expect(res.status, path).toBe(400)
    }
    expect(await hits(tag)).toBe(0)
  })

  it('strips the body of a HEAD answered by a GET route', async () => {
    const { host } = await seedApi({
      routes: [route('r1', 'GET /health', 'm1')],
      integrations: [mock('m1', 'body')],
    })
    const res = await dataPlane(host, '/dev/health', { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
  })

  it('refuses plain HTTP on a non-loopback custom domain with 403', async () => {
    const { apiId } = await seedApi({
      routes: [route('r1', 'GET /health', 'm1')],
      integrations: [mock('m1', 'ok')],
    })
    await env.ROUTES.put(
      KV_KEYS.domain('api.example.com'),
      JSON.stringify({
        schemaVersion: 1,
        domainName: 'api.example.com',
        createdDate: new Date().toISOString(),
        mappings: [{ apiMappingId: 'm1', apiId, stage: 'dev', apiMappingKey: '' }],
      })
    )
    const plain = await dataPlane('api.example.com', '/health')
    expect(plain.status).toBe(403)
  })

  it('rejects a request with an oversized declared body with 413', async () => {
    const { host } = await seedApi({
      routes: [route('r1', 'POST /x', 'm1')],
      integrations: [mock('m1', 'ok')],
    })
    const res = await dataPlane(host, '/dev/x', {
      method: 'POST',
      headers: { 'content-length': String(11 * 1024 * 1024) },
      body: 'x',
    })
    expect(res.status).toBe(413)
    expect(res.headers.get('x-amzn-ErrorType')).toBe('RequestTooLargeException')
    expect(await res.json()).toEqual({ message: 'Request Too Long' })
  })
})

describe('config loading at the edge', () => {
  it('keeps serving the last good stage when the new stage document is malformed', async () => {
    const { host, apiId } = await seedApi({
      routes: [route('r1', 'GET /health', 'm1')],
      integrations: [mock('m1', 'v1')],
    })
    expect(await (await dataPlane(host, '/dev/health')).text()).toBe('v1')
    await env.ROUTES.put(KV_KEYS.stage(apiId, 'dev'), '{"schemaVersion":1,"apiId":')
    await new Promise((r) => setTimeout(r, 1100))
    const res = await dataPlane(host, '/dev/health')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('v1')
  })

  it('answers 500 API_CONFIGURATION_ERROR when a stage has never had a good document', async () => {
    const api = makeApi('brokenapi1', { routes: [], integrations: [] })
    await env.ROUTES.put(KV_KEYS.api(api.id), JSON.stringify(api))
    await env.ROUTES.put(KV_KEYS.stage(api.id, 'dev'), '{"not":"a stage"}')
    const res = await dataPlane(`${api.id}.execute-api.localhost`, '/dev/x')
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ message: 'Internal server error' })
  })

  it('answers 500 when a stage points at a deployment that was never written', async () => {
    const api = makeApi('halfwrite1', { routes: [], integrations: [] })
    await env.ROUTES.put(KV_KEYS.api(api.id), JSON.stringify(api))
    await writeStage({ apiId: api.id, stageName: 'dev', deploymentId: 'missing001' })
    const res = await dataPlane(`${api.id}.execute-api.localhost`, '/dev/x')
    expect(res.status).toBe(500)
  })

  it('serves a redeployed stage within CONFIG_CACHE_SECONDS (1 s in tests)', async () => {
    const { host, apiId, api } = await seedApi({
      routes: [route('r1', 'GET /health', 'm1')],
      integrations: [mock('m1', 'old')],
    })
    expect(await (await dataPlane(host, '/dev/health')).text()).toBe('old')
    const next = { ...api, integrations: [mock('m1', 'new')] }
    await writeDeployment(next, 'dep0000002')
    await writeStage({ apiId, stageName: 'dev', deploymentId: 'dep0000002' })
    await new Promise((r) => setTimeout(r, 1100))
    expect(await (await dataPlane(host, '/dev/health')).text()).toBe('new')
  })

  it('answers 500 on a route whose upstream fails the SSRF check at load, other routes keep working', async () => {
    const { host } = await seedApi({
      routes: [route('r1', 'GET /ok', 'm1'), route('r2', 'GET /meta', 'p1')],
      integrations: [
        mock('m1', 'fine'),
        { id: 'p1', type: 'HTTP_PROXY', integrationUri: 'http://169.254.169.254/latest/meta-data' },
      ],
    })
    expect((await dataPlane(host, '/dev/meta')).status).toBe(500)
    expect(await (await dataPlane(host, '/dev/ok')).text()).toBe('fine')
  })

  it('sends all traffic to the canary deployment at 100 percent and none at 0', async () => {
    const { host, apiId, api } = await seedApi({
      routes: [route('r1', 'GET /v', 'm1')],
      integrations: [mock('m1', 'primary')],
    })
    await writeDeployment({ ...api, integrations: [mock('m1', 'canary')] }, 'dep0000009')
    await writeStage({
      apiId,
      stageName: 'dev',
      deploymentId: 'dep0000001',
      canarySettings: { percentTraffic: 100, deploymentId: 'dep0000009' },
    })
    await new Promise((r) => setTimeout(r, 1100))
    expect(await (await dataPlane(host, '/dev/v')).text()).toBe('canary')
    await writeStage({
      apiId,
      stageName: 'dev',
      deploymentId: 'dep0000001',
      canarySettings: { percentTraffic: 0, deploymentId: 'dep0000009' },
    })
    await new Promise((r) => setTimeout(r, 1100))
    expect(await (await dataPlane(host, '/dev/v')).text()).toBe('primary')
  })

  it('routes a custom domain by base-path mapping, including a wildcard domain', async () => {
    const { apiId } = await seedApi({
      routes: [route('r1', 'GET /orders', 'm1')],
      integrations: [mock('m1', 'orders')],
    })
    await env.ROUTES.put(
      KV_KEYS.domain('*.shop.localhost'),
      JSON.stringify({
        schemaVersion: 1,
        domainName: '*.shop.localhost',
        createdDate: new Date().toISOString(),
        mappings: [{ apiMappingId: 'm1', apiId, stage: 'dev', apiMappingKey: 'v1' }],
      })
    )
    const res = await dataPlane('eu.shop.localhost', '/v1/orders')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('orders')
    expect((await dataPlane('eu.shop.localhost', '/v2/orders')).status).toBe(403)
  })

  it('uses a customized gateway response for a missing route', async () => {
    const { host } = await seedApi({
      routes: [route('r1', 'GET /health', 'm1')],
      integrations: [mock('m1', 'ok')],
      apiExtras: {
        gatewayResponses: {
          MISSING_AUTHENTICATION_TOKEN: {
            statusCode: 404,
            responseParameters: { 'x-custom': 'yes' },
            responseTemplates: {
              'application/json':
                '{"error":$context.error.messageString,"id":"$context.requestId"}',
            },
          },
        },
      },
    })
    const res = await dataPlane(host, '/dev/nope')
    expect(res.status).toBe(404)
    expect(res.headers.get('x-custom')).toBe('yes')
    const body: { error: string; id: string } = await res.json()
    expect(body.error).toBe('Missing Authentication Token')
    expect(body.id).toBe(res.headers.get('x-amzn-RequestId'))
  })
})

describe('canary stage variables and gateway-response fallback', () => {
  it('applies canary stageVariableOverrides to canary requests only', async () => {
    const { host, apiId } = await seedApi({
      routes: [route('r1', 'GET /v', 'p1')],
      integrations: [
        {
          id: 'p1',
          type: 'HTTP_PROXY',
          integrationUri: upstream('/echo/${stageVariables.version}'),
        },
      ],
      variables: { version: 'v1' },
    })
    const stage = (percentTraffic: number) =>
      writeStage({
        apiId,
        stageName: 'dev',
        deploymentId: 'dep0000001',
        variables: { version: 'v1' },
        canarySettings: {
          percentTraffic,
          deploymentId: 'dep0000001',
          stageVariableOverrides: { version: 'v2' },
        },
      })
    const echoedPath = async () => {
      const body: { path: string } = await (await dataPlane(host, '/dev/v')).json()
      return body.path
    }
    await stage(100)
    await new Promise((r) => setTimeout(r, 1100))
    expect(await echoedPath()).toBe('/echo/v2')
    await stage(0)
    await new Promise((r) => setTimeout(r, 1100))
    expect(await echoedPath()).toBe('/echo/v1')
  })

  it('falls back to the DEFAULT_4XX customization for 4xx types, never for 5xx', async () => {
    const { host } = await seedApi({
      routes: [route('r1', 'GET /health', 'm1'), route('r2', 'GET /broken', 'missing')],
      integrations: [mock('m1', 'ok')],
      apiExtras: {
        gatewayResponses: {
          DEFAULT_4XX: {
            responseParameters: { 'x-custom-4xx': 'yes' },
            responseTemplates: { 'application/json': '{"kind":"$context.error.responseType"}' },
          },
        },
      },
    })
    const missing = await dataPlane(host, '/dev/nope')
    expect(missing.status).toBe(403)
    expect(missing.headers.get('x-custom-4xx')).toBe('yes')
    expect(await missing.json()).toEqual({ kind: 'MISSING_AUTHENTICATION_TOKEN' })
    const broken = await dataPlane(host, '/dev/broken')
    expect(broken.status).toBe(500)
    expect(broken.headers.get('x-custom-4xx')).toBeNull()
    expect(await broken.json()).toEqual({ message: 'Internal server error' })
  })
})

describe('fail-closed authorization', () => {
  it('never forwards a route that requires an authorizer this build cannot check (500)', async () => {
    const tag = `authz-${crypto.randomUUID()}`
    const { host } = await seedApi({
      routes: [
        { id: 'r1', routeKey: 'GET /secret', integrationId: 'p1', authorizationType: 'AWS_IAM' },
      ],
      integrations: [{ id: 'p1', type: 'HTTP_PROXY', integrationUri: upstream('/echo/secret') }],
    })
    const res = await dataPlane(host, '/dev/secret', { headers: { 'x-test-tag': tag } })
    expect(res.status).toBe(500)
    expect(await hits(tag)).toBe(0)
  })

  it('answers 403 Forbidden on an apiKeyRequired route without calling the upstream', async () => {
    const tag = `apikey-${crypto.randomUUID()}`
    const { host } = await seedApi({
      routes: [{ id: 'r1', routeKey: 'GET /keyed', integrationId: 'p1', apiKeyRequired: true }],
      integrations: [{ id: 'p1', type: 'HTTP_PROXY', integrationUri: upstream('/echo/keyed') }],
    })
    const res = await dataPlane(host, '/dev/keyed', {
      headers: { 'x-test-tag': tag, 'x-api-key': 'anything-at-all-0123456789' },
    })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ message: 'Forbidden' })
    expect(await hits(tag)).toBe(0)
  })
})
