import { AwsV4Signer } from 'aws4fetch'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ADMIN_ORIGIN, awsError, send } from './helpers'

interface SignOptions {
  method?: string
  path?: string
  body?: string
  headers?: Record<string, string>
  accessKeyId?: string
  secretAccessKey?: string
  service?: string
  datetime?: string
}

async function signed(o: SignOptions = {}): Promise<Request> {
  const signer = new AwsV4Signer({
    method: o.method ?? 'GET',
    url: `${ADMIN_ORIGIN}${o.path ?? '/restapis'}`,
    headers: o.headers ?? {},
    ...(o.body === undefined ? {} : { body: o.body }),
    accessKeyId: o.accessKeyId ?? env.ADMIN_ACCESS_KEY_ID ?? '',
    secretAccessKey: o.secretAccessKey ?? env.ADMIN_SECRET_ACCESS_KEY ?? '',
    service: o.service ?? 'apigateway',
    region: 'us-east-1',
    ...(o.datetime === undefined ? {} : { datetime: o.datetime }),
  })
  const s = await signer.sign()
  return new Request(s.url, {
    method: s.method,
    headers: s.headers,
    ...(o.body === undefined ? {} : { body: o.body }),
  })
}

function amzDate(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toISOString().replace(/[:-]|\.\d{3}/g, '')
}

describe('SigV4 admin authentication', () => {
  it('accepts a request signed with the admin key pair (aws4fetch)', async () => {
    const res = await send(await signed())
    expect(res.status).toBe(200)
  })

  it('accepts a signed POST with a JSON body and records the key id as principal', async () => {
    const res = await send(
      await signed({
        method: 'POST',
        path: '/restapis',
        body: JSON.stringify({ name: 'signed' }),
        headers: { 'content-type': 'application/json' },
      })
    )
    expect(res.status).toBe(201)
    const { id }: { id: string } = await res.json()
    const row = await env.DB.prepare(
      'SELECT principal, action FROM admin_audit_log WHERE resource = ?'
    )
      .bind(`/restapis/${id}`)
      .first()
    expect(row).toEqual({ principal: env.ADMIN_ACCESS_KEY_ID, action: 'CreateRestApi' })
  })

  it('verifies query strings and paths that need double encoding', async () => {
    const res = await send(await signed({ path: '/restapis/a%20b%2Ac?limit=5&position=x%2By' }))
    // Authentication passed: the API simply does not exist.
    expect(await awsError(res)).toMatchObject({ status: 404, type: 'NotFoundException' })
  })

  it('rejects a signature made with the wrong secret', async () => {
    const res = await send(await signed({ secretAccessKey: 'not-the-secret' }))
    const e = await awsError(res)
    expect(e).toMatchObject({ status: 403, type: 'InvalidSignatureException' })
    expect(e.message).not.toMatch(/AWS4-HMAC-SHA256\n|GET\n\/restapis/)
  })

  it('rejects a tampered body', async () => {
    const req = await signed({
      method: 'POST',
      path: '/restapis',
      body: JSON.stringify({ name: 'a' }),
      headers: { 'content-type': 'application/json' },
    })
    const tampered = new Request(req, { body: JSON.stringify({ name: 'b' }) })
    const res = await send(tampered)
    expect(await awsError(res)).toMatchObject({ status: 403, type: 'InvalidSignatureException' })
  })

  it('rejects an x-amz-content-sha256 that does not match the body', async () => {
    const req = await signed({
      method: 'POST',
      path: '/restapis',
      body: '{"name":"a"}',
      headers: { 'x-amz-content-sha256': '0'.repeat(64) },
    })
    expect((await awsError(await send(req))).type).toBe('InvalidSignatureException')
  })

  it('rejects a tampered path', async () => {
    const req = await signed({ path: '/restapis/aaaaaaaaaa' })
    const moved = new Request(`${ADMIN_ORIGIN}/restapis/bbbbbbbbbb`, { headers: req.headers })
    expect(await awsError(await send(moved))).toMatchObject({
      status: 403,
      type: 'InvalidSignatureException',
    })
  })

  it('rejects a tampered query string', async () => {
    const req = await signed({ path: '/restapis?limit=1' })
    const moved = new Request(`${ADMIN_ORIGIN}/restapis?limit=2`, { headers: req.headers })
    expect((await send(moved)).status).toBe(403)
  })

  it('rejects a signature older than 5 minutes as expired', async () => {
    const res = await send(await signed({ datetime: amzDate(-6 * 60 * 1000) }))
    const e = await awsError(res)
    expect(e).toMatchObject({ status: 403, type: 'InvalidSignatureException' })
    expect(e.message).toMatch(/^Signature expired/)
  })

  it('rejects a signature dated more than 5 minutes in the future', async () => {
    const res = await send(await signed({ datetime: amzDate(6 * 60 * 1000) }))
    expect((await awsError(res)).message).toMatch(/^Signature not yet current/)
  })

  it('accepts a signature within the 5 minute skew', async () => {
    expect((await send(await signed({ datetime: amzDate(-4 * 60 * 1000) }))).status).toBe(200)
  })

  it('rejects an unknown access key id with UnrecognizedClientException', async () => {
    const res = await send(await signed({ accessKeyId: 'AKIDSOMEONEELSE00000' }))
    expect(await awsError(res)).toMatchObject({ status: 403, type: 'UnrecognizedClientException' })
  })

  it('rejects a signature scoped to another service', async () => {
    const res = await send(await signed({ service: 'execute-api' }))
    expect((await awsError(res)).type).toBe('InvalidSignatureException')
  })

  it('rejects a signature that does not sign the host header', async () => {
    const req = await signed()
    const auth = (req.headers.get('authorization') ?? '').replace(
      /SignedHeaders=host;/,
      'SignedHeaders='
    )
    const headers = new Headers(req.headers)
    headers.set('authorization', auth)
    const res = await send(new Request(req.url, { headers }))
    expect(await awsError(res)).toMatchObject({ status: 403, type: 'InvalidSignatureException' })
  })

  it('rejects a malformed Authorization header as an incomplete signature', async () => {
    const res = await send(
      new Request(`${ADMIN_ORIGIN}/restapis`, {
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' },
      })
    )
    expect(await awsError(res)).toMatchObject({ status: 403, type: 'IncompleteSignatureException' })
  })

  it('rejects a signed request without X-Amz-Date', async () => {
    const req = await signed()
    const headers = new Headers(req.headers)
    headers.delete('x-amz-date')
    expect((await send(new Request(req.url, { headers }))).status).toBe(403)
  })
})
