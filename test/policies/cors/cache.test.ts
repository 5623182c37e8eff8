import { describe, expect, it } from 'vitest'
import { seedApi } from '../../support/seed'
import { CACHE_UPSTREAM, cachedRoute, call } from '../cache/support'
import { APP, DEV, STRICT } from './support'

function cachedCorsApi() {
  return seedApi({
    routes: [cachedRoute()],
    integrations: [CACHE_UPSTREAM],
    apiExtras: { corsConfiguration: STRICT },
    stageExtras: {
      cacheClusterEnabled: true,
      defaultRouteSettings: { cachingEnabled: true, cacheTtlInSeconds: 300 },
    },
  })
}

describe('CORS and the response cache', () => {
  it("serves one cached response to each origin with that origin's own CORS headers", async () => {
    const { host } = await cachedCorsApi()
    const a = await call(host, '/dev/items/shared', { origin: APP })
    const b = await call(host, '/dev/items/shared', { origin: DEV })
    const evil = await call(host, '/dev/items/shared', { origin: 'https://evil.example' })
    const none = await call(host, '/dev/items/shared')
    // One upstream call: the cache is keyed without Origin, the headers are per request.
    expect(a.n).toBeTypeOf('number')
    expect(new Set([a.n, b.n, evil.n, none.n]).size).toBe(1)
    expect(a.headers.get('access-control-allow-origin')).toBe(APP)
    expect(b.headers.get('access-control-allow-origin')).toBe(DEV)
    expect(evil.headers.has('access-control-allow-origin')).toBe(false)
    expect(evil.headers.has('access-control-allow-credentials')).toBe(false)
    expect(none.headers.has('access-control-allow-origin')).toBe(false)
    for (const r of [a, b, evil, none]) expect(r.headers.get('vary')).toBe('Origin')
  })

  it("merges Vary: Origin with a cached response's own Vary", async () => {
    const { host } = await cachedCorsApi()
    const first = await call(host, '/dev/items/v?vary=Accept-Language', {
      origin: APP,
      'accept-language': 'en',
    })
    const again = await call(host, '/dev/items/v?vary=Accept-Language', {
      origin: DEV,
      'accept-language': 'en',
    })
    expect(again.n).toBe(first.n)
    expect(first.headers.get('vary')).toBe('Accept-Language, Origin')
    expect(again.headers.get('vary')).toBe('Accept-Language, Origin')
    expect(again.headers.get('access-control-allow-origin')).toBe(DEV)
  })
})
