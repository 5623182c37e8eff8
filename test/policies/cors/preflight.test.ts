import { describe, expect, it } from 'vitest'
import { dataPlane } from '../../support/seed'
import { hits } from '../support'
import { APP, corsApi, corsHeaders, DEV, freshTag, preflight, STRICT } from './support'

const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'

describe('CORS preflight: allowed', () => {
  it('answers 204 with the configured headers and the exact origin, without calling upstream', async () => {
    const { host } = await corsApi(STRICT)
    const tag = freshTag()
    const res = await preflight(host, '/dev/items', APP, 'PUT', 'content-type, x-api-key', {
      'x-test-tag': tag,
    })
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST, PUT',
      'access-control-allow-headers': 'Content-Type, X-Api-Key, Authorization',
      'access-control-max-age': '600',
      vary: PREFLIGHT_VARY,
    })
    expect(res.headers.get('apigw-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    expect(await hits(tag)).toBe(0)
  })

  it('compares requested header names case-insensitively', async () => {
    const { host } = await corsApi(STRICT)
    const res = await preflight(host, '/dev/items', DEV, 'POST', 'CONTENT-TYPE,Authorization')
    expect(res.headers.get('access-control-allow-origin')).toBe(DEV)
  })

  it('answers preflights for paths that have no route at all', async () => {
    const { host } = await corsApi(STRICT)
    const res = await preflight(host, '/dev/nowhere/at/all', APP, 'GET')
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(APP)
  })

  it('never invokes an OPTIONS route for a preflight, but does for a plain OPTIONS request', async () => {
    const { host } = await corsApi(STRICT)
    const tag = freshTag()
    await preflight(host, '/dev/items', APP, 'GET', undefined, { 'x-test-tag': tag })
    expect(await hits(tag)).toBe(0)
    // No Access-Control-Request-Method: not a preflight, routed as usual.
    const plain = await dataPlane(host, '/dev/items', {
      method: 'OPTIONS',
      headers: { origin: APP, 'x-test-tag': tag },
    })
    expect(plain.status).toBe(200)
    expect(plain.headers.get('access-control-allow-origin')).toBe(APP)
    expect(await hits(tag)).toBe(1)
  })

  it('echoes the requested method and headers when * is configured, with Allow-Origin *', async () => {
    const { host } = await corsApi({
      allowOrigins: ['*'],
      allowMethods: ['*'],
      allowHeaders: ['*'],
    })
    const res = await preflight(host, '/dev/items', APP, 'DELETE', 'X-Custom, Authorization')
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'DELETE',
      'access-control-allow-headers': 'x-custom, authorization',
      vary: PREFLIGHT_VARY,
    })
  })

  it('allows only GET, HEAD and POST when allowMethods is absent', async () => {
    const { host } = await corsApi({ allowOrigins: [APP] })
    expect(
      (await preflight(host, '/dev/items', APP, 'POST')).headers.has('access-control-allow-origin')
    ).toBe(true)
    expect(
      (await preflight(host, '/dev/items', APP, 'PUT')).headers.has('access-control-allow-origin')
    ).toBe(false)
  })

  it('answers on REST APIs too, with x-amzn-RequestId', async () => {
    const { host } = await corsApi(STRICT, { protocolType: 'REST' })
    const res = await preflight(host, '/dev/items', APP, 'GET')
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(APP)
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('CORS preflight: refused', () => {
  it.each([
    ['https://app.example.com.evil.com'],
    ['https://evilapp.example.com'],
    ['https://app.example.co'],
    ['http://app.example.com'],
    ['https://app.example.com:8443'],
    ['http://localhost:3001'],
    ['https://app.example.com.'],
    ['https://xn--pp-7ka.example.com'],
    ['https://app.example.com/'],
    ['null'],
    ['https://evil.com, https://app.example.com'],
  ])('refuses the origin %j: 204 without allow headers, no upstream call', async (origin) => {
    const { host } = await corsApi(STRICT)
    const tag = freshTag()
    const res = await preflight(host, '/dev/items', origin, 'GET', undefined, { 'x-test-tag': tag })
    expect(res.status).toBe(204)
    expect(corsHeaders(res)).toEqual({ vary: PREFLIGHT_VARY })
    expect(await hits(tag)).toBe(0)
  })

  it('accepts an upper-case host of a listed origin, answering the canonical form', async () => {
    const { host } = await corsApi(STRICT)
    const res = await preflight(host, '/dev/items', 'https://APP.Example.COM', 'GET')
    expect(res.headers.get('access-control-allow-origin')).toBe(APP)
  })

  it.each([
    ['a method not in allowMethods', 'DELETE', undefined],
    ['a method that is not a token', 'GE T', undefined],
    ['a header not in allowHeaders', 'GET', 'content-type, x-evil'],
    ['a malformed header list', 'GET', 'content-type, x:evil'],
    [
      'a huge header list',
      'GET',
      Array.from({ length: 100 }, (_, i) => `x-h${String(i)}`).join(','),
    ],
  ])('refuses %s', async (_what, method, requested) => {
    const { host } = await corsApi(STRICT)
    const res = await preflight(host, '/dev/items', APP, method, requested)
    expect(res.status).toBe(204)
    expect(corsHeaders(res)).toEqual({ vary: PREFLIGHT_VARY })
  })

  it('fails closed when a stored configuration pairs * with credentials (written around the admin API)', async () => {
    const { host } = await corsApi({ allowOrigins: ['*'], allowCredentials: true })
    const tag = freshTag()
    const res = await preflight(host, '/dev/items', APP, 'GET', undefined, { 'x-test-tag': tag })
    expect(res.status).toBe(204)
    expect(corsHeaders(res)).toEqual({ vary: PREFLIGHT_VARY })
    expect(await hits(tag)).toBe(0)
    const actual = await dataPlane(host, '/dev/items', { headers: { origin: APP } })
    expect(actual.status).toBe(200)
    expect(actual.headers.has('access-control-allow-origin')).toBe(false)
  })

  it('routes preflights as ordinary requests on an API without CORS', async () => {
    const { host } = await corsApi(undefined)
    const tag = freshTag()
    const res = await preflight(host, '/dev/items', APP, 'GET', undefined, { 'x-test-tag': tag })
    expect(res.status).toBe(200)
    expect(res.headers.has('access-control-allow-origin')).toBe(false)
    expect(await hits(tag)).toBe(1)
  })
})
