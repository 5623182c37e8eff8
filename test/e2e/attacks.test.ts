/**
 * Attack cases found by probing a running gateway from outside, each pinned end to end: real HTTP
 * from Node to `wrangler dev` and from the gateway to the loopback upstream.
 */
import { request as httpRequest } from 'node:http'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  apiHost,
  callApi,
  deployRestApi,
  gateway,
  httpProxy,
  openApi,
  uniqueTag,
  upstreamHits,
  upstreamUrl,
} from './harness'

/** Greedy `ANY` route to the upstream's echo endpoint. */
let proxyApi: string

beforeAll(async () => {
  proxyApi = await deployRestApi(
    openApi('e2e-attacks-proxy', {
      '/{proxy+}': {
        'x-amazon-apigateway-any-method': {
          parameters: [{ name: 'proxy', in: 'path', required: true, schema: { type: 'string' } }],
          ...httpProxy(`${upstreamUrl()}/echo/{proxy}`, {
            requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
          }),
        },
      },
    })
  )
})

/** POSTs `chunks` × `chunkBytes` with `Transfer-Encoding: chunked` (no Content-Length). */
function postChunked(
  path: string,
  chunks: number,
  chunkBytes: number,
  tag: string
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: gateway().port,
        method: 'POST',
        path,
        headers: {
          host: apiHost(proxyApi),
          'content-type': 'application/octet-stream',
          'transfer-encoding': 'chunked',
          'x-test-tag': tag,
        },
        timeout: 30_000,
        agent: false,
      },
      (res) => {
        const body: Buffer[] = []
        res.on('data', (c: Buffer) => body.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const text = Buffer.concat(body).toString('utf8')
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text })
        })
      }
    )
    req.on('timeout', () => req.destroy(new Error(`${path} timed out`)))
    // The gateway may answer and close before the whole body is written: that is the point.
    req.on('error', () => undefined)
    const chunk = Buffer.alloc(chunkBytes, 0x61)
    let sent = 0
    const write = (): void => {
      while (sent < chunks) {
        sent++
        if (!req.write(chunk)) {
          req.once('drain', write)
          return
        }
      }
      req.end()
    }
    write()
  })
}

describe('request bodies without Content-Length', () => {
  it('answers 413 to a chunked body over 10 MB instead of forwarding it truncated', async () => {
    const tag = uniqueTag('chunked-big')
    const res = await postChunked('/dev/upload', 11, 1024 * 1024, tag)
    expect(res.status).toBe(413)
    expect(res.headers['x-amzn-requestid']).toBeTruthy()
    expect(JSON.parse(res.text)).toEqual({ message: 'Request Too Long' })
    // The upstream may have seen the start of the stream, never a completed request.
    expect(res.text).not.toContain('/echo/upload')
  })

  it('still streams a chunked body under the cap to the upstream whole', async () => {
    const tag = uniqueTag('chunked-ok')
    const res = await postChunked('/dev/upload', 4, 64 * 1024, tag)
    expect(res.status).toBe(200)
    const echoed = JSON.parse(res.text) as { path: string; body: string }
    expect(echoed.path).toBe('/echo/upload')
    expect(echoed.body).toHaveLength(4 * 64 * 1024)
    expect(await upstreamHits(tag)).toBe(1)
  })
})

describe('request methods', () => {
  it.each(['TRACE'])(
    'answers %s on an ANY route like an unknown route, with zero upstream calls',
    async (method) => {
      const tag = uniqueTag('method')
      const res = await callApi(proxyApi, '/dev/anything', {
        method,
        headers: { 'x-test-tag': tag },
      })
      expect(res.status).toBe(403)
      expect(res.json()).toEqual({ message: 'Missing Authentication Token' })
      expect(res.headers['x-amzn-requestid']).toBeTruthy()
      expect(await upstreamHits(tag)).toBe(0)
    }
  )

  it('serves the seven API Gateway methods through the same ANY route (control)', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const res = await callApi(proxyApi, '/dev/anything', { method })
      expect(res.status, method).toBe(200)
      expect((res.json() as { method: string }).method).toBe(method)
    }
    expect((await callApi(proxyApi, '/dev/anything', { method: 'HEAD' })).status).toBe(200)
  })
})
