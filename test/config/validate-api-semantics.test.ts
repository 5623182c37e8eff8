import { describe, expect, it } from 'vitest'
import type { ApiConfig, IntegrationConfig } from '../../src/config/types'
import { validateApiConfig } from '../../src/config/validate'
import { issuesOf, validApi } from './fixtures'

function withIntegration(integration: IntegrationConfig, allowLoopback = false): ApiConfig {
  const api = validApi()
  api.integrations[0] = integration
  if (allowLoopback) api.allowLoopbackUpstreams = true
  return api
}

describe('validateApiConfig: semantic rules', () => {
  it('refuses duplicate route ids and integration ids, pointing at the repeat', () => {
    const api = validApi()
    api.routes.push({ id: 'r1get', routeKey: 'GET /other' })
    api.integrations.push({ id: 'i3mock', type: 'MOCK', mockResponse: { statusCode: 204 } })
    expect(issuesOf(validateApiConfig(api))).toEqual([
      { path: '/routes/3/id', message: 'duplicate route id "r1get" (also at /routes/0/id)' },
      {
        path: '/integrations/3/id',
        message: 'duplicate integration id "i3mock" (also at /integrations/2/id)',
      },
    ])
  })

  it('refuses two routes with the same route key', () => {
    const api = validApi()
    api.routes.push({ id: 'dup', routeKey: '$default' })
    expect(issuesOf(validateApiConfig(api))).toEqual([
      {
        path: '/routes/3/routeKey',
        message: 'duplicate routeKey "$default" (also at /routes/2/routeKey)',
      },
    ])
  })

  it('refuses a route whose integrationId names no integration', () => {
    const api = validApi()
    api.routes.push({ id: 'r4', routeKey: 'GET /x', integrationId: 'nope' })
    expect(issuesOf(validateApiConfig(api))).toEqual([
      { path: '/routes/3/integrationId', message: 'refers to unknown integration "nope"' },
    ])
  })

  it('accepts a route without an integration (answers 500 at run time, as AWS)', () => {
    const api = validApi()
    api.routes.push({ id: 'r4', routeKey: 'GET /x' })
    expect(validateApiConfig(api).ok).toBe(true)
  })

  it.each(['get /pets', 'GET pets', 'GET  /pets', '$connect', 'GET /a b', 'GET'])(
    'refuses HTTP route key %j',
    (routeKey) => {
      const api = validApi()
      api.routes.push({ id: 'r4', routeKey })
      const issues = issuesOf(validateApiConfig(api))
      expect(issues[0]?.path).toBe('/routes/3/routeKey')
      expect(issues[0]?.message).toMatch(/\$default or "METHOD \/path"/)
    }
  )

  it('accepts WebSocket route keys and refuses reserved or spaced ones', () => {
    const api: ApiConfig = {
      ...validApi(),
      protocolType: 'WEBSOCKET',
      routeSelectionExpression: '$request.body.action',
      routes: ['$connect', '$disconnect', '$default', 'sendMessage'].map((routeKey, i) => ({
        id: `w${String(i)}`,
        routeKey,
      })),
    }
    expect(validateApiConfig(api).ok).toBe(true)
    api.routes.push({ id: 'bad1', routeKey: '$custom' }, { id: 'bad2', routeKey: 'send message' })
    const issues = issuesOf(validateApiConfig(api))
    expect(issues.map((i) => i.path)).toEqual(['/routes/4/routeKey', '/routes/5/routeKey'])
    expect(issues[0]?.message).toMatch(/custom key/)
  })

  it('requires an authorizerId for JWT and CUSTOM authorization', () => {
    const api = validApi()
    api.routes.push({ id: 'r4', routeKey: 'GET /x', authorizationType: 'JWT' })
    expect(issuesOf(validateApiConfig(api))).toEqual([
      { path: '/routes/3/authorizerId', message: 'is required when authorizationType is JWT' },
    ])
  })

  it('requires an integrationUri for HTTP_PROXY and HTTP', () => {
    for (const type of ['HTTP_PROXY', 'HTTP'] as const) {
      expect(issuesOf(validateApiConfig(withIntegration({ id: 'i1http', type })))).toEqual([
        { path: '/integrations/0/integrationUri', message: `is required for ${type} integrations` },
      ])
    }
  })

  it.each([
    ['ftp://example.com/x', /http:\/\/ or https:\/\//],
    ['worker://DEMO_BACKEND', /http:\/\/ or https:\/\//],
    ['http://169.254.169.254/latest', /link-local/],
    ['http://user:pw@example.com/', /userinfo/],
    ['http://127.0.0.1:8080/', /loopback.*allowLoopbackUpstreams/],
    ['http://{petId}.example.com/', /path parameter placeholders are not allowed in the host/],
    ['http://${stageVariables.host}@evil.example/', /userinfo/],
    ['${stageVariables.url}', /must start with http:\/\/ or https:\/\//],
    ['http://example.com/${env.SECRET}', /unsupported placeholder \$\{env\.SECRET\}/],
  ])('refuses HTTP integration URI %s', (integrationUri, message) => {
    const doc = withIntegration({ id: 'i1http', type: 'HTTP_PROXY', integrationUri })
    const issues = issuesOf(validateApiConfig(doc))
    expect(issues).toHaveLength(1)
    expect(issues[0]?.path).toBe('/integrations/0/integrationUri')
    expect(issues[0]?.message).toMatch(message)
  })

  it.each([
    'https://api.example.com/{proxy}',
    'http://${stageVariables.host}/pets',
    'https://${stageVariables.env}.example.com/pets?x=${stageVariables.q}',
    'https://example.com/${stageVariables.path}',
  ])('accepts HTTP integration URI %s (templated hosts are checked after substitution)', (uri) => {
    const doc = withIntegration({ id: 'i1http', type: 'HTTP', integrationUri: uri })
    expect(validateApiConfig(doc).ok).toBe(true)
  })

  it('lets loopback upstreams through only with allowLoopbackUpstreams, and nothing else private', () => {
    const local = {
      id: 'i1http',
      type: 'HTTP_PROXY',
      integrationUri: 'http://127.0.0.1:9/x',
    } as const
    expect(validateApiConfig(withIntegration(local, true)).ok).toBe(true)
    const lan = { ...local, integrationUri: 'http://192.168.0.10/' }
    expect(issuesOf(validateApiConfig(withIntegration(lan, true)))[0]?.message).toMatch(/private/)
  })

  it.each([
    'worker://demo',
    'worker://',
    'worker://DEMO/path',
    'https://example.com/',
    'worker://9X',
  ])('refuses WORKER integration URI %s', (integrationUri) => {
    const doc = withIntegration({ id: 'i1http', type: 'WORKER', integrationUri })
    expect(issuesOf(validateApiConfig(doc))).toEqual([
      {
        path: '/integrations/0/integrationUri',
        message:
          'must be worker://BINDING with BINDING matching ^[A-Z][A-Z0-9_]{0,63}$, or worker://${stageVariables.name}',
      },
    ])
  })

  it('requires mockResponse and forbids integrationUri on MOCK integrations', () => {
    const doc = withIntegration({
      id: 'i1http',
      type: 'MOCK',
      integrationUri: 'https://x.example/',
    })
    expect(issuesOf(validateApiConfig(doc))).toEqual([
      { path: '/integrations/0/mockResponse', message: 'is required for MOCK integrations' },
      { path: '/integrations/0/integrationUri', message: 'must be absent for MOCK integrations' },
    ])
  })

  it('refuses mockResponse on a non-MOCK integration', () => {
    const doc = withIntegration({
      id: 'i1http',
      type: 'HTTP_PROXY',
      integrationUri: 'https://api.example.com/',
      mockResponse: { statusCode: 200 },
    })
    expect(issuesOf(validateApiConfig(doc))).toEqual([
      { path: '/integrations/0/mockResponse', message: 'is only allowed for MOCK integrations' },
    ])
  })

  it.each([
    [{ timeoutInMillis: 49 }, '/integrations/0/timeoutInMillis', 'must be at least 50'],
    [{ timeoutInMillis: 29001 }, '/integrations/0/timeoutInMillis', 'must be at most 29000'],
    [{ timeoutInMillis: 100.5 }, '/integrations/0/timeoutInMillis', 'must be an integer'],
    [
      { payloadFormatVersion: '3.0' },
      '/integrations/0/payloadFormatVersion',
      'must be one of 1.0, 2.0',
    ],
    [
      { integrationMethod: 'TRACE' },
      '/integrations/0/integrationMethod',
      expect.stringMatching(/^must be one of ANY/),
    ],
    [
      { type: 'AWS_PROXY' },
      '/integrations/0/type',
      'must be one of HTTP_PROXY, HTTP, MOCK, WORKER',
    ],
  ])('refuses integration field %j', (patch, path, message) => {
    const api = validApi()
    const doc = {
      ...api,
      integrations: [{ ...api.integrations[0], ...patch }, ...api.integrations.slice(1)],
    }
    expect(issuesOf(validateApiConfig(doc))).toEqual([{ path, message }])
  })

  it('refuses a mock status code outside 100–599', () => {
    const api = validApi()
    const doc = withIntegration({ id: 'i1http', type: 'MOCK', mockResponse: { statusCode: 99 } })
    expect(api.integrations).toHaveLength(3)
    expect(issuesOf(validateApiConfig(doc))).toEqual([
      { path: '/integrations/0/mockResponse/statusCode', message: 'must be at least 100' },
    ])
  })
})
