import { describe, expect, it } from 'vitest'
import { makeApi, makeRoute } from '../support/request-context'
import { buildError, upstream } from './build-helpers'
import { encodePathValue } from '../../src/integrations/uri-template'

function errorOf(result: ReturnType<typeof buildError>): string {
  if (result.ok) return expect.fail('expected a build error')
  return result.error
}

describe('integration build refuses config it cannot serve', () => {
  it('refuses a loopback upstream unless the API allows loopback upstreams', () => {
    const result = buildError({ integrationUri: `${upstream()}/echo` }, { api: makeApi() })
    expect(errorOf(result)).toMatch(/loopback/)
  })

  it.each([
    'http://10.0.0.1/x',
    'http://169.254.169.254/latest/meta-data',
    'http://[::ffff:127.0.0.1]/x',
    'http://user:pw@example.com/x',
    'ftp://example.com/x',
    'not a url',
  ])('refuses the unsafe or invalid URI %s', (integrationUri) => {
    expect(buildError({ integrationUri }).ok).toBe(false)
  })

  it('refuses a stage variable whose value points the URI at a private host', () => {
    const result = buildError(
      { integrationUri: 'http://${stageVariables.host}/x' },
      { api: makeApi(), stageVariables: { host: '192.168.1.1' } }
    )
    expect(errorOf(result)).toMatch(/private/)
  })

  it('refuses a URI naming an undefined stage variable', () => {
    const result = buildError({ integrationUri: 'https://example.com/${stageVariables.nope}' })
    expect(errorOf(result)).toMatch(/nope/)
  })

  it('refuses a placeholder in the host', () => {
    const route = makeRoute({ routeKey: 'GET /{tenant}/x' })
    const result = buildError({ integrationUri: 'https://{tenant}.example.com/x' }, { route })
    expect(result.ok).toBe(false)
  })

  it('refuses a placeholder in the query string', () => {
    const route = makeRoute({ routeKey: 'GET /pets/{id}' })
    const result = buildError({ integrationUri: 'https://example.com/x?id={id}' }, { route })
    expect(errorOf(result)).toMatch(/only allowed in the path/)
  })

  it('refuses a placeholder that is not a path parameter of the route', () => {
    const result = buildError({ integrationUri: 'https://example.com/{petId}' })
    expect(errorOf(result)).toMatch(/petId/)
  })

  it.each([49, 29001, 1.5])('refuses timeoutInMillis %s', (timeoutInMillis) => {
    const result = buildError({ integrationUri: 'https://example.com/', timeoutInMillis })
    expect(errorOf(result)).toMatch(/timeoutInMillis/)
  })

  it('refuses an unsupported integrationMethod', () => {
    const result = buildError({
      integrationUri: 'https://example.com/',
      integrationMethod: 'TRACE',
    })
    expect(errorOf(result)).toMatch(/TRACE/)
  })

  it('refuses an HTTP integration without a URI', () => {
    expect(errorOf(buildError({ type: 'HTTP' }))).toMatch(/integrationUri/)
  })

  it('refuses a WORKER URI that is not worker://BINDING', () => {
    expect(errorOf(buildError({ type: 'WORKER', integrationUri: 'https://x/' }))).toMatch(/worker/)
  })

  it('refuses parameter mapping on a WORKER integration', () => {
    const result = buildError({
      type: 'WORKER',
      integrationUri: 'worker://DEMO_BACKEND',
      requestParameters: { 'overwrite:header.x': 'y' },
    })
    expect(errorOf(result)).toMatch(/mapping/)
  })

  it.each([99, 600, 101])('refuses a MOCK status %s', (statusCode) => {
    expect(buildError({ type: 'MOCK', mockResponse: { statusCode } }).ok).toBe(false)
  })

  it('refuses a MOCK header with CR/LF', () => {
    const result = buildError({
      type: 'MOCK',
      mockResponse: { statusCode: 200, headers: { 'x-a': 'a\r\nset-cookie: x=1' } },
    })
    expect(result.ok).toBe(false)
  })
})

describe('path parameter encoding', () => {
  it.each([
    ['a/b', false, 'a%2Fb'],
    ['a/b', true, 'a/b'],
    ['ü ?#', false, '%C3%BC%20%3F%23'],
    ['%2F', true, '%252F'],
  ])('encodes %s (greedy %s) as %s', (value, greedy, expected) => {
    expect(encodePathValue(value, greedy)).toEqual({ ok: true, value: expected })
  })

  it('refuses a lone surrogate', () => {
    expect(encodePathValue('\ud800', false).ok).toBe(false)
  })
})
