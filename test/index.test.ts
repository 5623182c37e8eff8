import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

const call = (host: string, path: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(`http://${host}${path}`, { headers: { host, ...headers } })

describe('worker entry: admin and data plane by Host', () => {
  it('serves the admin API only on ADMIN_HOSTNAME', async () => {
    const res = await call('admin.localhost', '/restapis', {
      authorization: `Bearer ${env.ADMIN_TOKEN ?? ''}`,
    })
    expect(res.status).toBe(200)
  })

  it('never reaches the admin API through an execute-api host, even with the admin token', async () => {
    const res = await call('abcdefghij.execute-api.localhost', '/restapis', {
      authorization: `Bearer ${env.ADMIN_TOKEN ?? ''}`,
    })
    // The data plane answers: no such API or stage, so REST's unknown-route answer.
    expect(res.status).toBe(403)
    expect(res.headers.get('x-amzn-ErrorType')).toBe('MissingAuthenticationTokenException')
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' })
  })

  it('never reaches the admin API through a custom domain host', async () => {
    const res = await call('api.other.localhost', '/restapis', {
      authorization: `Bearer ${env.ADMIN_TOKEN ?? ''}`,
    })
    expect(res.status).toBe(403)
  })

  it('answers 400 for a malformed Host header', async () => {
    const res = await exports.default.fetch('http://x.localhost/x', {
      headers: { host: 'bad host!' },
    })
    expect(res.status).toBe(400)
  })

  it('rejects the admin token on the admin host when it is wrong', async () => {
    const res = await call('admin.localhost', '/restapis', { authorization: 'Bearer nope' })
    expect(res.status).toBe(401)
    expect(res.headers.get('x-amzn-ErrorType')).toBe('UnauthorizedException')
  })
})

describe('admin host spelling', () => {
  it('treats a trailing-dot admin host like the admin host, with a request id', async () => {
    const res = await call('admin.localhost.', '/restapis', {
      authorization: `Bearer ${env.ADMIN_TOKEN ?? ''}`,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-amzn-RequestId')).not.toBeNull()
  })
})
