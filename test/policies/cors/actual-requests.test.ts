import { describe, expect, it } from 'vitest'
import { dataPlane } from '../../support/seed'
import { APP, corsApi, corsHeaders, DEV, STRICT } from './support'

const ALLOWED = {
  'access-control-allow-origin': APP,
  'access-control-allow-credentials': 'true',
  'access-control-expose-headers': 'x-request-id, date',
}

describe('CORS on actual requests', () => {
  it('adds the allow headers and Vary: Origin for an allowed origin', async () => {
    const { host } = await corsApi(STRICT)
    const res = await dataPlane(host, '/dev/items', { headers: { origin: APP } })
    expect(res.status).toBe(200)
    expect(corsHeaders(res)).toEqual({ ...ALLOWED, vary: 'Origin' })
  })

  it('adds only Vary: Origin for a disallowed origin and for a request without Origin', async () => {
    const { host } = await corsApi(STRICT)
    for (const headers of [
      { origin: 'https://app.example.com.evil.com' },
      { origin: 'null' },
      {},
    ]) {
      const res = await dataPlane(host, '/dev/items', { headers })
      expect(res.status).toBe(200)
      expect(corsHeaders(res)).toEqual({ vary: 'Origin' })
    }
  })

  it("replaces the integration's Access-Control-* headers and merges its Vary (AWS)", async () => {
    const { host } = await corsApi(STRICT)
    const allowed = await dataPlane(host, '/dev/mock', { headers: { origin: DEV } })
    expect(await allowed.text()).toBe('mock')
    expect(corsHeaders(allowed)).toEqual({
      'access-control-allow-origin': DEV,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-request-id, date',
      vary: 'Accept-Encoding, origin',
    })
    const refused = await dataPlane(host, '/dev/mock', { headers: { origin: 'https://evil.com' } })
    expect(corsHeaders(refused)).toEqual({ vary: 'Accept-Encoding, origin' })
  })

  it('answers * to any origin when allowOrigins is ["*"] without credentials', async () => {
    const { host } = await corsApi({ allowOrigins: ['*'], exposeHeaders: ['*'] })
    const res = await dataPlane(host, '/dev/items', { headers: { origin: 'https://any.example' } })
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-expose-headers': '*',
      vary: 'Origin',
    })
  })
})

describe('CORS on gateway errors', () => {
  const cases: [string, string, number][] = [
    ['a missing API key', '/dev/keyed', 403],
    ['a resource-policy deny', '/dev/denied', 403],
    ['an authorization type this build cannot check', '/dev/iam', 500],
    ['an unknown route', '/dev/nope', 404],
  ]

  it.each(cases)(
    'adds the headers to the error for %s for an allowed origin',
    async (_w, path, status) => {
      const { host } = await corsApi(STRICT)
      const res = await dataPlane(host, path, { headers: { origin: APP } })
      expect(res.status).toBe(status)
      expect(corsHeaders(res)).toEqual({ ...ALLOWED, vary: 'Origin' })
    }
  )

  it.each(cases)(
    'leaves them off the error for %s for a disallowed origin',
    async (_w, path, status) => {
      const { host } = await corsApi(STRICT)
      const res = await dataPlane(host, path, {
        headers: { origin: 'https://evilapp.example.com' },
      })
      expect(res.status).toBe(status)
      expect(corsHeaders(res)).toEqual({ vary: 'Origin' })
    }
  )

  it('adds them to a 429 from the throttle', async () => {
    const { host } = await corsApi(STRICT, {
      stageExtras: { defaultRouteSettings: { throttlingBurstLimit: 1, throttlingRateLimit: 0 } },
    })
    const first = await dataPlane(host, '/dev/items', { headers: { origin: APP } })
    expect(first.status).toBe(200)
    const limited = await dataPlane(host, '/dev/items', { headers: { origin: APP } })
    expect(limited.status).toBe(429)
    expect(corsHeaders(limited)).toEqual({ ...ALLOWED, vary: 'Origin' })
    const evil = await dataPlane(host, '/dev/items', { headers: { origin: 'https://evil.com' } })
    expect(evil.status).toBe(429)
    expect(corsHeaders(evil)).toEqual({ vary: 'Origin' })
  })

  it('adds them to a customized gateway response (a 401 here)', async () => {
    const { host } = await corsApi(STRICT, {
      apiExtras: { gatewayResponses: { INVALID_API_KEY: { statusCode: 401 } } },
    })
    const res = await dataPlane(host, '/dev/keyed', { headers: { origin: APP } })
    expect(res.status).toBe(401)
    expect(corsHeaders(res)).toEqual({ ...ALLOWED, vary: 'Origin' })
  })
})
