import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { makeRequestContext, makeRoute } from '../support/request-context'
import { build, buildError, echoOf, expectGatewayError, upstream } from './build-helpers'

const route = makeRoute({ routeKey: 'POST /pets/{petId}' })

function mapped(requestParameters: Record<string, string>, type: 'HTTP' | 'HTTP_PROXY' = 'HTTP') {
  return build(
    { type, integrationUri: `${upstream()}/echo/pets/{petId}?fixed=1`, requestParameters },
    { route, stageVariables: { backendKey: 's3cret', env: 'prod' } }
  )
}

function ctxFor(options: { headers?: Record<string, string>; query?: string; body?: string } = {}) {
  return makeRequestContext({
    request: `/dev/pets/42${options.query ?? '?q=one&q=two&single=x'}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', token: 'abc', ...options.headers },
    body: options.body ?? '{"user":{"id":7,"name":"ann"},"tags":["a","b"]}',
    pathParameters: { petId: '42' },
  })
}

describe('HTTP (non-proxy) integration', () => {
  it('sends only what is mapped: no client headers or client query by default', async () => {
    const echo = await echoOf(await mapped({})(ctxFor({ headers: { 'x-client': 'nope' } })))
    expect(echo.headers['x-client']).toBeUndefined()
    expect(echo.headers.token).toBeUndefined()
    expect(echo.headers['content-type']).toBe('application/json')
    expect(echo.rawQuery).toBe('fixed=1')
    expect(echo.path).toBe('/echo/pets/42')
    expect(echo.body).toContain('"user"')
  })
})

describe('request parameter mapping', () => {
  it('maps headers from headers, query, path, body, context and stage variables', async () => {
    const echo = await echoOf(
      await mapped({
        'overwrite:header.authorization': 'Bearer $request.header.token',
        'overwrite:header.x-q': '$request.querystring.q',
        'overwrite:header.x-pet': '${request.path.petId}',
        'overwrite:header.x-user': '$request.body.user.id',
        'overwrite:header.x-tag': '${request.body.tags[1]}',
        'overwrite:header.x-request':
          '$context.requestId/$context.stage/$context.identity.sourceIp',
        'overwrite:header.x-key': '$stageVariables.backendKey',
        'overwrite:header.x-static': 'plain $5 text',
        'overwrite:header.x-missing': 'Bearer $request.header.absent',
      })(ctxFor())
    )
    expect(echo.headers.authorization).toBe('Bearer abc')
    expect(echo.headers['x-q']).toBe('one,two')
    expect(echo.headers['x-pet']).toBe('42')
    expect(echo.headers['x-user']).toBe('7')
    expect(echo.headers['x-tag']).toBe('b')
    expect(echo.headers['x-request']).toBe('c0ffee00-0000-4000-8000-000000000001/dev/198.51.100.7')
    expect(echo.headers['x-key']).toBe('s3cret')
    expect(echo.headers['x-static']).toBe('plain $5 text')
    // A half-built value is never sent.
    expect(echo.headers['x-missing']).toBeUndefined()
    expect(echo.body).toContain('"user"')
  })

  it('appends, overwrites and removes headers on a proxied request', async () => {
    const echo = await echoOf(
      await mapped(
        {
          'append:header.x-list': 'added',
          'overwrite:header.x-over': 'new',
          'remove:header.x-gone': "''",
        },
        'HTTP_PROXY'
      )(ctxFor({ headers: { 'x-list': 'orig', 'x-over': 'old', 'x-gone': 'bye' } }))
    )
    expect(echo.headers['x-list']).toBe('orig, added')
    expect(echo.headers['x-over']).toBe('new')
    expect(echo.headers['x-gone']).toBeUndefined()
  })

  it('appends, overwrites and removes query string parameters', async () => {
    const echo = await echoOf(
      await mapped(
        {
          'append:querystring.q': '$request.multivaluequerystring.q',
          'overwrite:querystring.single': 'y',
          'remove:querystring.fixed': '',
          'append:querystring.env': '$stageVariables.env',
        },
        'HTTP_PROXY'
      )(ctxFor())
    )
    expect(new URLSearchParams(echo.rawQuery).getAll('q')).toEqual(['one', 'two', 'one', 'two'])
    expect(new URLSearchParams(echo.rawQuery).get('single')).toBe('y')
    expect(new URLSearchParams(echo.rawQuery).has('fixed')).toBe(false)
    expect(new URLSearchParams(echo.rawQuery).get('env')).toBe('prod')
  })

  it('overwrites the path, encoding referenced values', async () => {
    const echo = await echoOf(
      await mapped({ 'overwrite:path': '/echo/v2/$request.path.petId/$request.header.x-name' })(
        ctxFor({ headers: { 'x-name': 'a b?c' } })
      )
    )
    expect(echo.path).toBe('/echo/v2/42/a%20b%3Fc')
  })

  // The upstream URL is origin + path with no re-parse: a mapped value must stay path data.
  it.each([
    ['@evil.com:1/x', '/echo/%40evil.com%3A1/x'],
    ['http://evil.com/', '/echo/http%3A//evil.com/'],
  ])('keeps the mapped value %s on the configured host', async (value, path) => {
    const handler = mapped({ 'overwrite:path': '/echo/$request.header.x-name' })
    const echo = await echoOf(await handler(ctxFor({ headers: { 'x-name': value } })))
    expect(echo.path).toBe(path)
    expect(echo.headers.host).toBe(`127.0.0.1:${String(env.UPSTREAM_PORT)}`)
  })

  it('refuses a mapped path that climbs with dot segments (400, nothing sent)', async () => {
    const handler = mapped({ 'overwrite:path': '/echo/$request.header.x-name' })
    await expectGatewayError(
      handler,
      ctxFor({ headers: { 'x-name': '..', 'x-test-tag': 'dots' } }),
      'BAD_REQUEST_PARAMETERS'
    )
  })

  it.each([
    ['CR/LF from the body', '$request.body.evil', '{"evil":"a\\r\\nx-injected: 1"}'],
    ['NUL from the body', '$request.body.evil', '{"evil":"a\\u0000b"}'],
    ['LF from a query value', '$request.querystring.evil', '{}'],
  ])(
    'answers header injection via %s with 400 and no upstream call',
    async (_name, value, body) => {
      const tag = `inject-${String(Math.random()).slice(2)}`
      const handler = mapped({
        'overwrite:header.x-test-tag': tag,
        'overwrite:header.x-evil': value,
      })
      const ctx = ctxFor({ body, query: '?evil=a%0Ab' })
      await expectGatewayError(handler, ctx, 'BAD_REQUEST_PARAMETERS')
      const hits = await fetch(`${upstream()}/hits/${tag}`)
      expect(await hits.json()).toEqual({ hits: 0 })
    }
  )
})

describe('response parameter mapping', () => {
  function withResponse(path: string, responseParameters: Record<string, Record<string, string>>) {
    return build({ integrationUri: `${upstream()}${path}`, responseParameters })
  }

  it('maps by exact status, then by status class', async () => {
    const exact = await withResponse('/status/404', {
      '404': { 'overwrite:statuscode': '410', 'append:header.x-was': '$response.body.status' },
      '4XX': { 'overwrite:header.x-class': 'yes' },
    })(makeRequestContext())
    expect(exact.status).toBe(410)
    expect(exact.headers.get('x-was')).toBe('404')
    expect(exact.headers.get('x-class')).toBeNull()
    expect(await exact.json()).toEqual({ status: 404 })
    const byClass = await withResponse('/status/418', {
      '4XX': { 'overwrite:header.x-class': 'yes', 'remove:header.content-type': '' },
    })(makeRequestContext())
    expect(byClass.status).toBe(418)
    expect(byClass.headers.get('x-class')).toBe('yes')
    expect(byClass.headers.get('content-type')).toBeNull()
  })

  it('maps from response headers and context', async () => {
    const response = await withResponse('/echo', {
      '200': {
        'overwrite:header.x-from-upstream': '$response.header.x-upstream',
        'overwrite:header.x-request-id': '$context.requestId',
      },
    })(makeRequestContext())
    expect(response.headers.get('x-from-upstream')).toBe('echo')
    expect(response.headers.get('x-request-id')).toBe('c0ffee00-0000-4000-8000-000000000001')
  })

  it('leaves a response with no matching status untouched', async () => {
    const response = await withResponse('/status/500', {
      '200': { 'overwrite:statuscode': '201' },
    })(makeRequestContext())
    expect(response.status).toBe(500)
  })
})

describe('mapping config is validated at build', () => {
  it.each([
    'overwrite:header.host',
    'append:header.Connection',
    'overwrite:header.content-length',
    'overwrite:header.x-amzn-trace-id',
    'overwrite:header.x-forwarded-for',
    'overwrite:header.cf-connecting-ip',
    'overwrite:header.access-control-allow-origin',
  ])('refuses the reserved header key %s', (key) => {
    const result = buildError({
      type: 'HTTP',
      integrationUri: 'https://example.com/',
      requestParameters: { [key]: 'x' },
    })
    expect(result.ok).toBe(false)
  })

  it.each([
    ['replace:header.x', 'y'],
    ['overwrite:cookie.x', 'y'],
    ['overwrite:header.bad name', 'y'],
    ['append:path', 'y'],
    ['overwrite:statuscode', '200'],
    ['overwrite:header.x', '$request.nope.x'],
    ['overwrite:header.x', '$context.notAThing'],
    ['overwrite:header.x', '$stageVariables.undefinedVar'],
    ['overwrite:header.x', '${request.header.x'],
    ['overwrite:header.x', '$request.body..recursive'],
    ['overwrite:header.x', '$response.header.x'],
  ])('refuses the request mapping %s = %s', (key, value) => {
    const result = buildError({
      type: 'HTTP',
      integrationUri: 'https://example.com/',
      requestParameters: { [key]: value },
    })
    expect(result.ok).toBe(false)
  })

  it.each([
    ['2XX0', 'overwrite:header.x', 'y'],
    ['200', 'overwrite:statuscode', '99'],
    ['200', 'overwrite:querystring.x', 'y'],
    ['200', 'overwrite:header.x', '$request.header.y'],
  ])('refuses the response mapping %s %s = %s', (status, key, value) => {
    const result = buildError({
      type: 'HTTP',
      integrationUri: 'https://example.com/',
      responseParameters: { [status]: { [key]: value } },
    })
    expect(result.ok).toBe(false)
  })
})
