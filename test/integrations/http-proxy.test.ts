import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { makeRequestContext, makeRoute } from '../support/request-context'
import { build, echoOf, expectGatewayError, upstream } from './build-helpers'

const greedyRoute = makeRoute({ routeKey: 'ANY /files/{proxy+}' })

describe('HTTP_PROXY forwarding', () => {
  it('forwards method, body and the client query appended to the template query', async () => {
    const handler = build({ integrationUri: `${upstream()}/echo/base?fixed=1` })
    const ctx = makeRequestContext({
      request: '/dev/anything?b=2&b=3&enc=a%20b',
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-custom': 'kept' },
      body: 'hello upstream',
    })
    const echo = await echoOf(await handler(ctx))
    expect(echo.method).toBe('POST')
    expect(echo.path).toBe('/echo/base')
    expect(echo.rawQuery).toBe('fixed=1&b=2&b=3&enc=a%20b')
    expect(echo.body).toBe('hello upstream')
    expect(echo.headers['x-custom']).toBe('kept')
    expect(echo.headers.host).toBe(`127.0.0.1:${String(env.UPSTREAM_PORT)}`)
    expect(ctx.log.integrationStatus).toBe(200)
    expect(ctx.log.integrationLatencyMs).toBeGreaterThanOrEqual(0)
  })

  it('uses integrationMethod instead of the client method, dropping a body GET cannot carry', async () => {
    const handler = build({ integrationUri: `${upstream()}/echo`, integrationMethod: 'GET' })
    const ctx = makeRequestContext({ method: 'POST', body: 'dropped' })
    const echo = await echoOf(await handler(ctx))
    expect(echo.method).toBe('GET')
    expect(echo.body).toBe('')
  })

  it('streams the response: the first chunk arrives while the upstream is still sending', async () => {
    // The upstream waits 6 s between chunks, past the 5 s test timeout: a buffering gateway fails.
    const handler = build({ integrationUri: `${upstream()}/stream?chunks=2&interval=6000` })
    const response = await handler(makeRequestContext())
    const reader = response.body!.getReader()
    const first = await reader.read()
    expect(first.done).toBe(false)
    expect(new TextDecoder().decode(first.value)).toBe('chunk-0\n')
    await reader.cancel()
  })

  it('passes a redirect back to the client as is, never following it', async () => {
    const handler = build({ integrationUri: `${upstream()}/redirect` })
    const response = await handler(makeRequestContext())
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toMatch(/\/echo\/redirected$/)
  })

  it('passes upstream error statuses through', async () => {
    const handler = build({ integrationUri: `${upstream()}/status/503` })
    const response = await handler(makeRequestContext())
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ status: 503 })
  })

  it('substitutes stage variables into the URI at build', async () => {
    const handler = build(
      { integrationUri: `http://\${stageVariables.host}/echo/\${stageVariables.version}/x` },
      { stageVariables: { host: `127.0.0.1:${String(env.UPSTREAM_PORT)}`, version: 'v2' } }
    )
    const echo = await echoOf(await handler(makeRequestContext()))
    expect(echo.path).toBe('/echo/v2/x')
  })
})

describe('HTTP_PROXY header hygiene', () => {
  it('strips hop-by-hop and Connection-listed request headers', async () => {
    const handler = build({ integrationUri: `${upstream()}/echo` })
    const ctx = makeRequestContext({
      headers: {
        connection: 'x-private-hop',
        'x-private-hop': 'secret',
        'keep-alive': 'timeout=5',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        te: 'trailers',
        upgrade: 'websocket',
        'x-normal': 'yes',
      },
    })
    const echo = await echoOf(await handler(ctx))
    for (const name of ['x-private-hop', 'keep-alive', 'proxy-authorization', 'te', 'upgrade']) {
      expect(echo.headers[name]).toBeUndefined()
    }
    expect(echo.headers['x-normal']).toBe('yes')
  })

  it('strips hop-by-hop and Connection-listed response headers', async () => {
    const handler = build({ integrationUri: `${upstream()}/hop` })
    const response = await handler(makeRequestContext())
    expect(await response.text()).toBe('hop')
    for (const name of ['connection', 'x-upstream-private', 'keep-alive', 'proxy-authenticate']) {
      expect(response.headers.has(name)).toBe(false)
    }
    expect(response.headers.get('x-kept')).toBe('yes')
  })

  it('ignores spoofed client-IP headers and writes its own X-Forwarded-*', async () => {
    const handler = build({ integrationUri: `${upstream()}/echo` })
    const ctx = makeRequestContext({
      clientIp: '203.0.113.9',
      headers: {
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'http',
        forwarded: 'for=10.0.0.1',
        'x-real-ip': '10.0.0.2',
        'true-client-ip': '10.0.0.3',
        'cf-connecting-ip': '10.0.0.4',
      },
    })
    const echo = await echoOf(await handler(ctx))
    expect(echo.headers['x-forwarded-for']).toBe('203.0.113.9')
    expect(echo.headers['x-forwarded-host']).toBe('abc123defg.execute-api.localhost')
    expect(echo.headers['x-forwarded-proto']).toBe('https')
    for (const name of ['forwarded', 'x-real-ip', 'true-client-ip', 'cf-connecting-ip']) {
      expect(echo.headers[name]).toBeUndefined()
    }
  })

  it('drops method-override headers so the upstream cannot be steered to another method', async () => {
    const handler = build({ integrationUri: `${upstream()}/echo` })
    const echo = await echoOf(
      await handler(makeRequestContext({ headers: { 'x-http-method-override': 'DELETE' } }))
    )
    expect(echo.headers['x-http-method-override']).toBeUndefined()
  })
})

describe('HTTP_PROXY path parameters never leave the path', () => {
  const handler = () =>
    build({ integrationUri: `${upstream()}/echo/files/{proxy}` }, { route: greedyRoute })

  it('keeps a greedy value`s slashes and encodes each segment', async () => {
    const ctx = makeRequestContext({ pathParameters: { proxy: 'a b/c?d#e/f' } })
    const echo = await echoOf(await handler()(ctx))
    expect(echo.path).toBe('/echo/files/a%20b/c%3Fd%23e/f')
    expect(echo.rawQuery).toBe('')
  })

  it.each([
    ['@evil.com', '/echo/files/%40evil.com'],
    ['//evil.com/x', '/echo/files///evil.com/x'],
    ['%2F..%2Fadmin', '/echo/files/%252F..%252Fadmin'],
    ['a\\..\\b', '/echo/files/a%5C..%5Cb'],
    ['http://evil.com', '/echo/files/http%3A//evil.com'],
  ])('keeps %s on the configured host', async (value, path) => {
    const echo = await echoOf(
      await handler()(makeRequestContext({ pathParameters: { proxy: value } }))
    )
    expect(echo.path).toBe(path)
    expect(echo.headers.host).toBe(`127.0.0.1:${String(env.UPSTREAM_PORT)}`)
  })

  it.each(['..', 'a/../..', '.', 'x/./y'])(
    'refuses the dot segment value %s with 400 instead of climbing the base path',
    async (value) => {
      await expectGatewayError(
        handler(),
        makeRequestContext({ pathParameters: { proxy: value } }),
        'BAD_REQUEST_PARAMETERS'
      )
    }
  )

  it('encodes a slash inside a non-greedy parameter', async () => {
    const single = build(
      { integrationUri: `${upstream()}/echo/pets/{petId}` },
      { route: makeRoute({ routeKey: 'GET /pets/{petId}' }) }
    )
    const echo = await echoOf(
      await single(makeRequestContext({ pathParameters: { petId: 'a/b' } }))
    )
    expect(echo.path).toBe('/echo/pets/a%2Fb')
  })
})

describe('HTTP_PROXY faults', () => {
  it('maps a slow upstream to INTEGRATION_TIMEOUT', async () => {
    const handler = build({ integrationUri: `${upstream()}/slow?ms=2000`, timeoutInMillis: 100 })
    const ctx = makeRequestContext()
    const error = await expectGatewayError(handler, ctx, 'INTEGRATION_TIMEOUT')
    expect(ctx.log.integrationLatencyMs).toBeGreaterThanOrEqual(0)
    expect(error.message).not.toContain('127.0.0.1')
  })

  it('maps an upstream that never sends headers to INTEGRATION_TIMEOUT', async () => {
    const handler = build({
      integrationUri: `${upstream()}/slow-headers?ms=2000`,
      timeoutInMillis: 100,
    })
    await expectGatewayError(handler, makeRequestContext(), 'INTEGRATION_TIMEOUT')
  })

  it('maps a refused connection to INTEGRATION_FAILURE', async () => {
    const handler = build({ integrationUri: `http://127.0.0.1:${String(env.CLOSED_PORT)}/x` })
    await expectGatewayError(handler, makeRequestContext(), 'INTEGRATION_FAILURE')
  })

  it('maps a garbage (non-HTTP) answer to INTEGRATION_FAILURE', async () => {
    const handler = build({ integrationUri: `${upstream()}/garbage` })
    await expectGatewayError(handler, makeRequestContext(), 'INTEGRATION_FAILURE')
  })
})
