import { describe, expect, it } from 'vitest'
import { parseCacheControl } from '../../../src/policies/cache/cache-control'
import { asksInvalidation } from '../../../src/policies/cache/invalidation'
import { cacheSettingsFor } from '../../../src/policies/cache/settings'
import { decideStore, upstreamAge } from '../../../src/policies/cache/storability'

const NOW = Date.UTC(2026, 0, 1)
const OPTIONS = {
  configTtlSeconds: 300,
  cacheNonSuccessResponses: false,
  sharedAuthorizedRequest: false,
  requestNoStore: false,
  now: NOW,
}

describe('Cache-Control parsing (RFC 9111 §5.2)', () => {
  it('reads tokens, quoted arguments, case and the first of duplicates', () => {
    const d = parseCacheControl('Max-Age=60, private="set-cookie, x", max-age=5, no-transform')
    expect(d.get('max-age')).toBe('60')
    expect(d.get('private')).toBe('set-cookie, x')
    expect(d.get('no-transform')).toBe(true)
  })
})

describe('freshness and TTL', () => {
  const ttl = (headers: Record<string, string>) => {
    const d = decideStore(200, new Headers(headers), OPTIONS)
    return d.store ? d.ttlSeconds : d.reason
  }
  it('uses the stage TTL without upstream freshness', () => {
    expect(ttl({})).toBe(300)
  })
  it('takes the smaller of stage TTL and s-maxage / max-age / Expires, minus Age', () => {
    expect(ttl({ 'cache-control': 'max-age=60' })).toBe(60)
    expect(ttl({ 'cache-control': 's-maxage=30, max-age=60' })).toBe(30)
    expect(ttl({ 'cache-control': 'max-age=9000' })).toBe(300)
    expect(ttl({ 'cache-control': 'max-age=60', age: '15' })).toBe(45)
    const date = new Date(NOW).toUTCString()
    expect(ttl({ date, expires: new Date(NOW + 120_000).toUTCString() })).toBe(120)
  })
  it('treats an invalid max-age as stale', () => {
    expect(ttl({ 'cache-control': 'max-age=soon' })).toBe('already stale')
  })
})

describe('effective settings', () => {
  const names = { routeKey: 'GET /pets', resourcePath: '/pets', routeMethod: 'GET' }
  const stage = {
    name: 'dev',
    deploymentId: 'd',
    variables: {},
    isCanaryRequest: false,
    cacheClusterEnabled: true,
    defaultRouteSettings: { cachingEnabled: true },
  }
  it('defaults to AWS: TTL 300, authorization required, SUCCEED_WITH_RESPONSE_HEADER', () => {
    expect(cacheSettingsFor(stage, names, 'GET')).toEqual({
      ttlSeconds: 300,
      requireAuthorizationForCacheControl: true,
      unauthorizedStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
      cacheNonSuccessResponses: false,
    })
  })
  it('clamps the TTL to 3600 and never resolves a settings key from the prototype', () => {
    const big = {
      ...stage,
      defaultRouteSettings: { cachingEnabled: true, cacheTtlInSeconds: 99999 },
    }
    expect(cacheSettingsFor(big, names, 'GET')?.ttlSeconds).toBe(3600)
    const proto = { ...names, routeKey: 'constructor' }
    expect(cacheSettingsFor({ ...stage, routeSettings: {} }, proto, 'GET')?.ttlSeconds).toBe(300)
  })
})

describe('client invalidation directives', () => {
  it('recognises max-age=0, no-cache and Pragma: no-cache only without Cache-Control', () => {
    expect(asksInvalidation(new Headers({ 'cache-control': 'max-age=0' }))).toBe(true)
    expect(asksInvalidation(new Headers({ 'cache-control': 'no-cache' }))).toBe(true)
    expect(asksInvalidation(new Headers({ 'cache-control': 'max-age=10' }))).toBe(false)
    expect(asksInvalidation(new Headers({ pragma: 'no-cache' }))).toBe(true)
    expect(
      asksInvalidation(new Headers({ pragma: 'no-cache', 'cache-control': 'max-age=5' }))
    ).toBe(false)
  })
})

describe('upstream Age (RFC 9111 §5.1)', () => {
  it('uses the first member of a list-valued Age and ignores invalid values', () => {
    expect(upstreamAge(new Headers({ age: '30, 60' }))).toBe(30)
    expect(upstreamAge(new Headers({ age: ' 7 ' }))).toBe(7)
    expect(upstreamAge(new Headers({ age: 'soon' }))).toBe(0)
    expect(upstreamAge(new Headers({ age: '-3' }))).toBe(0)
    expect(upstreamAge(new Headers())).toBe(0)
  })
})
