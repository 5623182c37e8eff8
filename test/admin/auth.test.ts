import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ADMIN_ORIGIN, admin, awsError, send } from './helpers'

const unconfigured = {
  ...env,
  ADMIN_TOKEN: undefined,
  ADMIN_ACCESS_KEY_ID: undefined,
  ADMIN_SECRET_ACCESS_KEY: undefined,
}

describe('admin authentication', () => {
  it('answers 503 and does nothing when no admin credential is configured', async () => {
    const before = await env.ROUTES.list({ prefix: 'api/' })
    const res = await send(
      new Request(`${ADMIN_ORIGIN}/restapis`, {
        method: 'POST',
        headers: { authorization: 'Bearer anything', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x' }),
      }),
      unconfigured
    )
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ message: 'Admin API is not configured' })
    const after = await env.ROUTES.list({ prefix: 'api/' })
    expect(after.keys.length).toBe(before.keys.length)
  })

  it('treats a half-configured key pair without a token as unconfigured', async () => {
    const res = await send(new Request(`${ADMIN_ORIGIN}/restapis`), {
      ...unconfigured,
      ADMIN_ACCESS_KEY_ID: 'AKIDONLY',
    })
    expect(res.status).toBe(503)
  })

  it('accepts the configured bearer token', async () => {
    const res = await admin('GET', '/restapis')
    expect(res.status).toBe(200)
    expect(res.headers.get('x-amzn-RequestId')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('rejects a wrong bearer token with 401 UnauthorizedException', async () => {
    const res = await admin('GET', '/restapis', undefined, { authorization: 'Bearer wrong-token' })
    expect(await awsError(res)).toMatchObject({ status: 401, type: 'UnauthorizedException' })
  })

  it('rejects a bearer token that is a prefix of the real one', async () => {
    const prefix = (env.ADMIN_TOKEN ?? '').slice(0, 10)
    const res = await admin('GET', '/restapis', undefined, { authorization: `Bearer ${prefix}` })
    expect(res.status).toBe(401)
  })

  it('rejects an empty bearer token as missing authentication', async () => {
    const res = await admin('GET', '/restapis', undefined, { authorization: 'Bearer ' })
    expect(await awsError(res)).toMatchObject({
      status: 403,
      type: 'MissingAuthenticationTokenException',
    })
  })

  it('rejects a request without credentials with 403 MissingAuthenticationTokenException', async () => {
    const res = await send(new Request(`${ADMIN_ORIGIN}/restapis`))
    expect(await awsError(res)).toEqual({
      status: 403,
      type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    })
  })

  it('rejects Basic and other schemes as missing authentication', async () => {
    const res = await admin('GET', '/restapis', undefined, { authorization: 'Basic YWRtaW46eA==' })
    expect(res.status).toBe(403)
  })

  it('answers 401 before any handler runs, so nothing is written', async () => {
    const before = await env.ROUTES.list({ prefix: 'api/' })
    const res = await admin('POST', '/restapis', { name: 'nope' }, { authorization: 'Bearer no' })
    expect(res.status).toBe(401)
    expect((await env.ROUTES.list({ prefix: 'api/' })).keys.length).toBe(before.keys.length)
  })

  it('refuses a declared body over 6 MiB with 413 before reading it', async () => {
    const res = await admin('POST', '/restapis?mode=import', 'x', {
      'content-length': String(6 * 1024 * 1024 + 1),
    })
    expect(res.status).toBe(413)
  })

  it('refuses a streamed body over 6 MiB with 413', async () => {
    const chunk = new Uint8Array(1024 * 1024)
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 7) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const res = await send(
      new Request(`${ADMIN_ORIGIN}/restapis?mode=import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN ?? ''}` },
        body: stream,
      })
    )
    expect(await awsError(res)).toMatchObject({ status: 413, type: 'RequestTooLargeException' })
  })
})

describe('admin host', () => {
  it('answers 404 for a data-plane host even when handed the request', async () => {
    const res = await send(
      new Request('https://abc123defg.execute-api.localhost/restapis', {
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN ?? ''}` },
      })
    )
    expect(await awsError(res)).toMatchObject({ status: 404, type: 'NotFoundException' })
  })

  it('uses the Host header, with or without a port', async () => {
    const res = await send(
      new Request('http://127.0.0.1:8787/restapis', {
        headers: { host: 'admin.localhost:8787', authorization: `Bearer ${env.ADMIN_TOKEN ?? ''}` },
      })
    )
    expect(res.status).toBe(200)
  })

  it('answers unknown admin paths with 404 NotFoundException once authenticated', async () => {
    const res = await admin('GET', '/nothing/here')
    expect(await awsError(res)).toMatchObject({ status: 404, type: 'NotFoundException' })
  })
})
