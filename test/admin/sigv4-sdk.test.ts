/**
 * The admin verifier against the signer inside the AWS SDK for JavaScript v3
 * (`@smithy/signature-v4`, what `@aws-sdk/client-api-gateway` uses), run in workerd.
 */
import { SignatureV4 } from '@smithy/signature-v4'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { send } from './helpers'

/** The SDK's ChecksumConstructor over WebCrypto: SHA-256, or HMAC-SHA-256 with a secret. */
class WebSha256 {
  private chunks: Uint8Array[] = []
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {}
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.chunks.push(toBytes(data))
  }
  async digest(): Promise<Uint8Array> {
    const total = this.chunks.reduce((n, c) => n + c.byteLength, 0)
    const data = new Uint8Array(total)
    let at = 0
    for (const c of this.chunks) {
      data.set(c, at)
      at += c.byteLength
    }
    if (this.secret === undefined)
      return new Uint8Array(await crypto.subtle.digest('SHA-256', data))
    const key = await crypto.subtle.importKey(
      'raw',
      toBytes(this.secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign']
    )
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, data))
  }
  reset(): void {
    this.chunks = []
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data)
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

const signer = new SignatureV4({
  service: 'apigateway',
  region: 'eu-west-1',
  sha256: WebSha256,
  credentials: {
    accessKeyId: env.ADMIN_ACCESS_KEY_ID ?? '',
    secretAccessKey: env.ADMIN_SECRET_ACCESS_KEY ?? '',
  },
})

async function sdkSigned(
  method: string,
  path: string,
  query: Record<string, string>,
  body?: string
): Promise<Request> {
  const headers: Record<string, string> = { host: 'admin.localhost', accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const signed = await signer.sign({
    method,
    protocol: 'https:',
    hostname: 'admin.localhost',
    path,
    query,
    headers,
    ...(body === undefined ? {} : { body }),
  })
  const qs = new URLSearchParams(query).toString()
  const url = `https://admin.localhost${path}${qs === '' ? '' : `?${qs}`}`
  const h = new Headers()
  for (const [k, v] of Object.entries(signed.headers)) if (k !== 'host') h.set(k, v)
  return new Request(url, { method, headers: h, ...(body === undefined ? {} : { body }) })
}

describe('SigV4 as the AWS SDK signs', () => {
  it('accepts a GET with query parameters', async () => {
    const res = await send(await sdkSigned('GET', '/restapis', { limit: '5' }))
    expect(res.status).toBe(200)
  })

  it('accepts a POST with a body', async () => {
    const res = await send(await sdkSigned('POST', '/restapis', {}, '{"name":"sdk signed"}'))
    expect(res.status).toBe(201)
  })

  it('accepts an encoded path segment (double-encoded in the canonical request)', async () => {
    const res = await send(await sdkSigned('GET', '/restapis/a%3Ab%20c', {}))
    expect(res.status).toBe(404)
    expect(res.headers.get('x-amzn-ErrorType')).toBe('NotFoundException')
  })

  it('rejects the SDK signature when the body changes', async () => {
    const req = await sdkSigned('POST', '/restapis', {}, '{"name":"a"}')
    const res = await send(new Request(req, { body: '{"name":"b"}' }))
    expect(res.status).toBe(403)
  })
})
