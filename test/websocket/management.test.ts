import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { GatewayBindings } from '../../src/env'
import { closeAll, connect, manage, seedWebSocketApi, untilGone } from './management-support'

describe('@connections management API', () => {
  it('posts data to a connection as a text frame', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    const res = await manage(host, `/dev/@connections/${c.connectionId}`, {
      method: 'POST',
      body: '{"hello":"world"}',
    })
    expect(res.status).toBe(200)
    await c.waitFor(1)
    expect(c.received).toEqual(['{"hello":"world"}'])
    closeAll([c])
  })

  it('gets connectedAt, identity and lastActiveAt as ISO timestamps', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    const res = await manage(host, `/dev/@connections/${c.connectionId}`, { method: 'GET' })
    expect(res.status).toBe(200)
    const body: {
      connectedAt: string
      lastActiveAt: string
      identity: { sourceIp: string; userAgent: string }
    } = await res.json()
    expect(new Date(body.connectedAt).toISOString()).toBe(body.connectedAt)
    expect(new Date(body.lastActiveAt).toISOString()).toBe(body.lastActiveAt)
    expect(body.identity.userAgent).toBe('portico-test/1.0')
    expect(typeof body.identity.sourceIp).toBe('string')
    closeAll([c])
  })

  it('deletes a connection (204) and the client sees the close', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    const res = await manage(host, `/dev/@connections/${c.connectionId}`, { method: 'DELETE' })
    expect(res.status).toBe(204)
    await c.closed
    const again = await manage(host, `/dev/@connections/${c.connectionId}`, { method: 'GET' })
    expect(again.status).toBe(410)
  })

  it('answers 410 GoneException for a connection that has disconnected', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    c.ws.close(1000, 'bye')
    await untilGone(host, c.connectionId)
    for (const method of ['POST', 'GET', 'DELETE']) {
      const res = await manage(host, `/dev/@connections/${c.connectionId}`, {
        method,
        ...(method === 'POST' ? { body: 'late' } : {}),
      })
      expect(res.status, method).toBe(410)
      expect(res.headers.get('x-amzn-ErrorType')).toBe('GoneException')
    }
  })

  it('answers 410 GoneException for a well-formed id that never existed', async () => {
    const { host } = await seedWebSocketApi()
    const res = await manage(host, '/dev/@connections/AAAAAAAAAAAAAAAA', { method: 'GET' })
    expect(res.status).toBe(410)
    expect(res.headers.get('x-amzn-ErrorType')).toBe('GoneException')
    expect(await res.json()).toEqual({ message: 'Gone' })
  })

  it('answers 400 BadRequestException for an id Portico cannot have issued', async () => {
    const { host } = await seedWebSocketApi()
    for (const id of ['short', 'L0SM9cOFvHcCIhw=', '_____AAAAAAAAAAA', 'AAAAAAAAAAAAAAAAA']) {
      const res = await manage(host, `/dev/@connections/${id}`, { method: 'GET' })
      expect(res.status, id).toBe(400)
      expect(res.headers.get('x-amzn-ErrorType')).toBe('BadRequestException')
    }
  })

  it('refuses data over 128 KiB with 413 PayloadTooLargeException and accepts exactly 128 KiB', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    const path = `/dev/@connections/${c.connectionId}`
    const over = await manage(host, path, { method: 'POST', body: 'x'.repeat(128 * 1024 + 1) })
    expect(over.status).toBe(413)
    expect(over.headers.get('x-amzn-ErrorType')).toBe('PayloadTooLargeException')
    const exact = await manage(host, path, { method: 'POST', body: 'y'.repeat(128 * 1024) })
    expect(exact.status).toBe(200)
    await c.waitFor(1)
    expect(c.received[0]).toHaveLength(128 * 1024)
    closeAll([c])
  })

  it('sends non-UTF-8 data as a binary frame', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    const res = await manage(host, `/dev/@connections/${c.connectionId}`, {
      method: 'POST',
      body: new Uint8Array([0xff, 0xfe, 0x00]),
    })
    expect(res.status).toBe(200)
    await c.waitFor(1)
    expect(c.received).toEqual(['<binary>'])
    closeAll([c])
  })

  it('answers 404 for unknown management paths and methods', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    for (const [method, path] of [
      ['PUT', `/dev/@connections/${c.connectionId}`],
      ['GET', '/dev/@connections'],
      ['GET', `/dev/@connections/${c.connectionId}/other`],
    ] as const) {
      const res = await manage(host, path, { method })
      expect(res.status, `${method} ${path}`).toBe(404)
    }
    closeAll([c])
  })
})

describe('@connections authentication', () => {
  const forbidden = async (res: Response) => {
    expect(res.status).toBe(403)
    expect(res.headers.get('x-amzn-ErrorType')).toBe('ForbiddenException')
    expect(await res.json()).toEqual({ message: 'Forbidden' })
  }

  it('refuses an unsigned call with 403 ForbiddenException and delivers nothing', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    await forbidden(
      await exports.default.fetch(`http://${host}/dev/@connections/${c.connectionId}`, {
        method: 'POST',
        headers: { host },
        body: 'sneaky',
      })
    )
    // A signed post afterwards is the first frame the client sees.
    await manage(host, `/dev/@connections/${c.connectionId}`, { method: 'POST', body: 'ok' })
    await c.waitFor(1)
    expect(c.received).toEqual(['ok'])
    closeAll([c])
  })

  it('refuses a wrong secret, a wrong signing service and an expired signature', async () => {
    const { host } = await seedWebSocketApi()
    const path = '/dev/@connections/AAAAAAAAAAAAAAAA'
    await forbidden(await manage(host, path, { method: 'GET', secretAccessKey: 'wrong-secret' }))
    await forbidden(await manage(host, path, { method: 'GET', service: 'apigateway' }))
    const old = new Date(Date.now() - 10 * 60 * 1000).toISOString().replace(/[:-]|\.\d{3}/g, '')
    await forbidden(await manage(host, path, { method: 'GET', datetime: old }))
  })

  it('fails closed with 403 when no SigV4 key pair is configured', async () => {
    const { env } = await import('cloudflare:workers')
    const { AwsV4Signer } = await import('aws4fetch')
    const { handleManagement } = await import('../../src/websocket/management/handler')
    const { host, apiId } = await seedWebSocketApi()
    const signer = new AwsV4Signer({
      method: 'GET',
      url: `http://${host}/dev/@connections/AAAAAAAAAAAAAAAA`,
      accessKeyId: env.ADMIN_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.ADMIN_SECRET_ACCESS_KEY ?? '',
      service: 'execute-api',
      region: 'us-east-1',
    })
    const signedRequest = async () => {
      const signed = await signer.sign()
      return new Request(signed.url, { method: signed.method, headers: signed.headers })
    }
    const request = await signedRequest()
    const call = {
      request,
      url: new URL(request.url),
      path: '/@connections/AAAAAAAAAAAAAAAA',
      apiId,
      stage: 'dev',
      requestId: 'r1',
    }
    // The same signed request passes with the key pair and fails closed without it.
    const withKeys = await handleManagement({ ...call, env })
    expect(withKeys.status).toBe(410)
    const noKeys: GatewayBindings = { ...env }
    delete noKeys.ADMIN_ACCESS_KEY_ID
    delete noKeys.ADMIN_SECRET_ACCESS_KEY
    const without = await handleManagement({ ...call, request: await signedRequest(), env: noKeys })
    await forbidden(without)
  })

  it('refuses a body changed after signing', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    const { AwsV4Signer } = await import('aws4fetch')
    const { env } = await import('cloudflare:workers')
    const signer = new AwsV4Signer({
      method: 'POST',
      url: `http://${host}/dev/@connections/${c.connectionId}`,
      headers: { host },
      body: 'signed',
      accessKeyId: env.ADMIN_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.ADMIN_SECRET_ACCESS_KEY ?? '',
      service: 'execute-api',
      region: 'us-east-1',
    })
    const s = await signer.sign()
    await forbidden(
      await exports.default.fetch(s.url, { method: 'POST', headers: s.headers, body: 'tampered' })
    )
    closeAll([c])
  })

  it('is not served on REST and HTTP APIs: @connections is an ordinary unknown path there', async () => {
    const { seedApi } = await import('../support/seed')
    const rest = await seedApi({ routes: [], integrations: [] })
    const http = await seedApi({ protocolType: 'HTTP', routes: [], integrations: [] })
    const r1 = await manage(rest.host, '/dev/@connections/AAAAAAAAAAAAAAAA', { method: 'GET' })
    expect(r1.status).toBe(403)
    expect(r1.headers.get('x-amzn-ErrorType')).toBe('MissingAuthenticationTokenException')
    const r2 = await manage(http.host, '/dev/@connections/AAAAAAAAAAAAAAAA', { method: 'GET' })
    expect(r2.status).toBe(404)
  })
})
