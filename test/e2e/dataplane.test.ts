/**
 * Data-plane behaviour end to end: real HTTP from Node to `wrangler dev` (workerd) and from the
 * gateway to the loopback upstream (test/support/upstream-server.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { findClosedPort } from '../support/upstream-server'
import {
  apiHost,
  callApi,
  callHost,
  callStreaming,
  deployRestApi,
  gateway,
  httpProxy,
  openApi,
  uniqueTag,
  upstreamHits,
  upstreamUrl,
  type SimpleResponse,
} from './harness'

/** Greedy root route: every path goes to the upstream's echo endpoint. */
let proxyApi: string
/** Fixed routes only, one per upstream fault. */
let faultApi: string

beforeAll(async () => {
  const up = upstreamUrl()
  proxyApi = await deployRestApi(
    openApi('e2e-dataplane-proxy', {
      '/{proxy+}': {
        'x-amazon-apigateway-any-method': {
          parameters: [{ name: 'proxy', in: 'path', required: true, schema: { type: 'string' } }],
          ...httpProxy(`${up}/echo/{proxy}`, {
            requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
          }),
        },
      },
    })
  )
  const closed = await findClosedPort()
  faultApi = await deployRestApi(
    openApi('e2e-dataplane-faults', {
      '/stream': { get: httpProxy(`${up}/stream`) },
      '/slow': { get: httpProxy(`${up}/slow`, { timeoutInMillis: 1000 }) },
      '/slow-headers': { get: httpProxy(`${up}/slow-headers`, { timeoutInMillis: 1000 }) },
      '/garbage': { get: httpProxy(`${up}/garbage`) },
      '/refused': { get: httpProxy(`http://127.0.0.1:${closed}/`) },
      '/known': { get: httpProxy(`${up}/echo/known`) },
    })
  )
})

function expectGatewayError(res: SimpleResponse, statuses: number[]): void {
  expect(statuses).toContain(res.status)
  expect(res.headers['x-amzn-requestid']).toBeTruthy()
  const body = res.json()
  expect(body).toHaveProperty('message')
  // Never the upstream's address, a stack trace or the runtime's own error text.
  expect(res.text).not.toMatch(/127\.0\.0\.1|localhost:|\bat .*\(|Error:/)
}

describe('routing', () => {
  it('forwards a plain path to the upstream exactly once', async () => {
    const tag = uniqueTag('ok')
    const res = await callApi(proxyApi, '/dev/hello/world?x=1', { headers: { 'x-test-tag': tag } })
    expect(res.status).toBe(200)
    expect(res.json()).toMatchObject({ method: 'GET', path: '/echo/hello/world', rawQuery: 'x=1' })
    expect(await upstreamHits(tag)).toBe(1)
  })

  it('answers an unknown route on a REST API with 403 Missing Authentication Token', async () => {
    const tag = uniqueTag('unknown')
    const res = await callApi(faultApi, '/dev/not-a-route', { headers: { 'x-test-tag': tag } })
    expect(res.status).toBe(403)
    expect(res.json()).toEqual({ message: 'Missing Authentication Token' })
    expect(res.headers['x-amzn-requestid']).toBeTruthy()
    expect(await upstreamHits(tag)).toBe(0)
  })

  it('answers an unknown stage like an unknown route', async () => {
    const res = await callApi(faultApi, '/nostage/known')
    expect(res.status).toBe(403)
    expect(res.json()).toEqual({ message: 'Missing Authentication Token' })
  })

  it('answers the Host of an API that does not exist with 403/404 and no upstream call', async () => {
    const tag = uniqueTag('noapi')
    const res = await callHost(apiHost('zzzzzzzzz0'), '/dev/known', {
      headers: { 'x-test-tag': tag },
    })
    expect([403, 404]).toContain(res.status)
    expect(res.json()).toHaveProperty('message')
    expect(await upstreamHits(tag)).toBe(0)
  })
})

describe('ambiguous paths are refused before the upstream', () => {
  for (const path of [
    '/dev/a%2fb',
    '/dev/a%2Fb',
    '/dev/a%5cb',
    '/dev/a;b',
    '/dev/a/%252e%252e/b',
    '/dev/a%00b',
    '/dev/a%0d%0ab',
  ]) {
    it(`refuses ${path} with 400 and zero upstream calls`, async () => {
      const tag = uniqueTag('ambiguous')
      const res = await callApi(proxyApi, path, { headers: { 'x-test-tag': tag } })
      expect(res.status).toBe(400)
      expect(res.json()).toHaveProperty('message')
      expect(res.headers['x-amzn-requestid']).toBeTruthy()
      expect(await upstreamHits(tag)).toBe(0)
    })
  }

  // workerd (like Cloudflare's edge) resolves dot segments while parsing the request URL, before
  // the Worker runs: `/dev/a/%2e%2e/b` arrives as `/dev/b`. Either way the upstream must never see
  // a path other than the one the gateway routed.
  for (const path of ['/dev/a/%2e%2e/b', '/dev/a/%2E%2e/b', '/dev/a/../b', '/dev/a/./b']) {
    it(`never forwards the dot segments of ${path}`, async () => {
      const tag = uniqueTag('dots')
      const res = await callApi(proxyApi, path, { headers: { 'x-test-tag': tag } })
      if (res.status === 400) {
        expect(await upstreamHits(tag)).toBe(0)
      } else {
        expect(res.status).toBe(200)
        const expected = path.endsWith('/./b') ? '/echo/a/b' : '/echo/b'
        expect(res.json()).toMatchObject({ path: expected })
      }
    })
  }
})

describe('HTTP_PROXY', () => {
  it('streams the upstream body instead of buffering it', async () => {
    const res = await callStreaming(apiHost(faultApi), '/dev/stream?chunks=3&interval=1000')
    expect(res.status).toBe(200)
    expect(res.chunks.map((c) => c.text).join('')).toBe('chunk-0\nchunk-1\nchunk-2\n')
    const first = res.chunks[0]?.at ?? Infinity
    const last = res.chunks[res.chunks.length - 1]?.at ?? 0
    // The upstream spends ≥ 2 s between its first and last chunk; a buffered body would arrive
    // all at once. Half the spread leaves room for a loaded machine.
    expect(last - first, JSON.stringify(res.chunks)).toBeGreaterThan(1000)
  })

  it('turns a slow upstream into 504 Endpoint request timed out at the integration timeout', async () => {
    const started = Date.now()
    const res = await callApi(faultApi, '/dev/slow?ms=8000')
    expectGatewayError(res, [504])
    expect(res.json()).toEqual({ message: 'Endpoint request timed out' })
    expect(Date.now() - started).toBeLessThan(4000)
  })

  it('turns an upstream that never sends headers into 504', async () => {
    const started = Date.now()
    const res = await callApi(faultApi, '/dev/slow-headers?ms=8000')
    expectGatewayError(res, [504])
    expect(Date.now() - started).toBeLessThan(4000)
  })

  it('turns a refused connection into a 5xx gateway error without details', async () => {
    const res = await callApi(faultApi, '/dev/refused')
    expectGatewayError(res, [500, 502, 503, 504])
  })

  it('turns a garbage (non-HTTP) upstream answer into a 5xx gateway error', async () => {
    const res = await callApi(faultApi, '/dev/garbage')
    expectGatewayError(res, [500, 502, 503, 504])
  })
})

describe('admin plane isolation', () => {
  const bearer = (): Record<string, string> => ({ authorization: `Bearer ${gateway().adminToken}` })

  it('is not reachable through a data-plane host, whatever the path', async () => {
    for (const path of ['/restapis', '/dev/restapis', '/v2/apis', '//restapis']) {
      const res = await callApi(faultApi, path, { headers: bearer() })
      expect(res.status, path).not.toBe(200)
      expect(res.text, path).not.toContain('"item"')
      expect(res.text, path).not.toContain('e2e-dataplane')
    }
  })

  it('ignores X-Forwarded-Host and absolute-form request targets naming the admin host', async () => {
    const forwarded = await callApi(faultApi, '/restapis', {
      headers: { ...bearer(), 'x-forwarded-host': 'admin.localhost' },
    })
    expect(forwarded.status).not.toBe(200)
    expect(forwarded.text).not.toContain('"item"')

    const absolute = await callApi(faultApi, 'http://admin.localhost/restapis', {
      headers: bearer(),
    })
    expect(absolute.status).not.toBe(200)
    expect(absolute.text).not.toContain('"item"')
  })

  it('is reachable on its own host (control)', async () => {
    const res = await callHost(gateway().adminHost, '/restapis', { headers: bearer() })
    expect(res.status).toBe(200)
    expect(res.text).toContain('e2e-dataplane-faults')
  })
})
