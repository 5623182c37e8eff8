import { describe, expect, it } from 'vitest'
import { validateApiConfig } from '../../src/config/validate'
import { issuesOf, validApi } from './fixtures'

describe('validateApiConfig: shape', () => {
  it('accepts a complete HTTP API and returns it typed', () => {
    const result = validateApiConfig(validApi())
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.value.routes).toHaveLength(3)
  })

  it('accepts every optional field at its limits', () => {
    const api = {
      ...validApi(),
      description: 'd'.repeat(1024),
      version: '1.0',
      apiKeySource: 'HEADER',
      disableExecuteApiEndpoint: true,
      allowLoopbackUpstreams: false,
      binaryMediaTypes: ['image/png', '*/*'],
      tags: { team: 'pets' },
      importWarnings: ['x-amazon-apigateway-foo is ignored'],
      gatewayResponses: {
        THROTTLED: {
          statusCode: 429,
          responseParameters: { 'Retry-After': '1' },
          responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
        },
      },
    }
    expect(validateApiConfig(api)).toMatchObject({ ok: true })
  })

  it.each([
    ['a string', '"api"', ''],
    ['an array', [], ''],
    ['null', null, ''],
  ])('refuses %s as the document', (_name, doc, path) => {
    expect(issuesOf(validateApiConfig(doc))).toEqual([
      { path, message: 'document must be a JSON object' },
    ])
  })

  it('names each missing required field at its own path', () => {
    const issues = issuesOf(validateApiConfig({ schemaVersion: 1 }))
    expect(issues.map((i) => i.path).sort()).toEqual(
      ['/createdDate', '/id', '/integrations', '/name', '/protocolType', '/routes'].sort()
    )
    expect(issues.every((i) => i.message === 'is required')).toBe(true)
  })

  it('reports wrong types with the expected type', () => {
    const api = { ...validApi(), name: 42, routes: {}, disableExecuteApiEndpoint: 'yes' }
    expect(issuesOf(validateApiConfig(api))).toEqual([
      { path: '/name', message: 'must be a string' },
      { path: '/disableExecuteApiEndpoint', message: 'must be a boolean' },
      { path: '/routes', message: 'must be an array' },
    ])
  })

  it('names the deepest path of a nested error, once', () => {
    const api = validApi()
    const issues = issuesOf(
      validateApiConfig({ ...api, routes: [...api.routes, { id: 'r9', routeKey: 7 }] })
    )
    expect(issues).toEqual([{ path: '/routes/3/routeKey', message: 'must be a string' }])
  })

  it('refuses unknown properties, by name', () => {
    const api = validApi()
    const doc = { ...api, extra: 1, routes: [{ ...api.routes[0], integrationID: 'x' }] }
    expect(issuesOf(validateApiConfig(doc))).toEqual([
      { path: '/routes/0/integrationID', message: 'is not a known property' },
      { path: '/extra', message: 'is not a known property' },
    ])
  })

  it.each([
    ['id', 'ABC123DEFG', '/id', /must match \^\[a-z0-9\]\{10\}\$/],
    ['id', 'abc123', '/id', /must match/],
    ['name', '', '/name', /must not be empty/],
    ['name', 'n'.repeat(129), '/name', /at most 128 characters/],
    ['name', 'a\r\nb', '/name', /must match/],
    ['protocolType', 'GRPC', '/protocolType', /must be one of REST, HTTP, WEBSOCKET/],
    ['createdDate', 'yesterday', '/createdDate', /must match/],
    ['apiKeySource', 'QUERY', '/apiKeySource', /one of HEADER, AUTHORIZER/],
    ['binaryMediaTypes', ['png'], '/binaryMediaTypes/0', /must match/],
    ['tags', { ['__proto__']: 'x' }, '/tags/__proto__', /property name must not be "__proto__"/],
  ])('refuses %s = %j at %s', (field, value, path, message) => {
    const doc: Record<string, unknown> = { ...validApi() }
    // JSON.parse makes an own `__proto__` key, as a document read from KV would.
    doc[field] = JSON.parse(JSON.stringify(value))
    const issues = issuesOf(validateApiConfig(doc))
    expect(issues[0]?.path).toBe(path)
    expect(issues[0]?.message).toMatch(message)
  })

  it('caps routes and integrations at 300 (AWS default quota)', () => {
    const api = validApi()
    const routes = Array.from({ length: 301 }, (_, i) => ({
      id: `r${String(i)}`,
      routeKey: `GET /p${String(i)}`,
    }))
    expect(issuesOf(validateApiConfig({ ...api, routes }))).toEqual([
      { path: '/routes', message: 'must have at most 300 items' },
    ])
    const ok = validateApiConfig({ ...api, routes: routes.slice(0, 300) })
    expect(ok.ok).toBe(true)
  })

  it('refuses an unknown gateway response type and an out-of-range status', () => {
    const doc = {
      ...validApi(),
      gatewayResponses: { TEAPOT: {}, THROTTLED: { statusCode: 600 } },
    }
    const issues = issuesOf(validateApiConfig(doc))
    expect(issues).toContainEqual({
      path: '/gatewayResponses/THROTTLED/statusCode',
      message: 'must be at most 599',
    })
    const teapot = issues.find((i) => i.path === '/gatewayResponses/TEAPOT')
    expect(teapot?.message).toMatch(/^property name must be one of ACCESS_DENIED, /)
  })

  it('refuses header injection in gateway response headers', () => {
    const doc = {
      ...validApi(),
      gatewayResponses: { DEFAULT_4XX: { responseParameters: { 'X-A': 'a\r\nSet-Cookie: x' } } },
    }
    expect(issuesOf(validateApiConfig(doc))[0]?.path).toBe(
      '/gatewayResponses/DEFAULT_4XX/responseParameters/X-A'
    )
  })

  it('escapes / and ~ in reported paths (RFC 6901)', () => {
    const api = validApi()
    const doc = {
      ...api,
      routes: [{ ...api.routes[0], requestParameters: { 'method.request.header.a/b~c': 'yes' } }],
    }
    expect(issuesOf(validateApiConfig(doc))).toContainEqual({
      path: '/routes/0/requestParameters/method.request.header.a~1b~0c',
      message: 'must be a boolean',
    })
  })

  it('reports at most 50 issues and says how many more there are', () => {
    const routes = Array.from({ length: 120 }, (_, i) => ({ id: `r${String(i)}`, routeKey: 1 }))
    const issues = issuesOf(validateApiConfig({ ...validApi(), routes }))
    expect(issues).toHaveLength(51)
    expect(issues[50]).toEqual({ path: '', message: 'and 70 more issues' })
  })
})
