import { describe, expect, it } from 'vitest'
import { noteLocalConfigChange } from '../../../src/config/local-changes'
import { writeStage } from '../../support/seed'
import { hits, sleep } from '../support'
import { cachedApi, cachedRoute, call, freshPath } from './support'

describe('cache hit and miss', () => {
  it('answers the second GET from the cache: X-Cache Miss then Hit, one upstream call', async () => {
    const { host } = await cachedApi()
    const tag = crypto.randomUUID()
    const path = freshPath()
    const first = await call(host, path, { 'x-test-tag': tag })
    const second = await call(host, path, { 'x-test-tag': tag })
    expect(first.status).toBe(200)
    expect(first.headers.get('x-cache')).toBe('Miss')
    expect(second.status).toBe(200)
    expect(second.headers.get('x-cache')).toBe('Hit')
    expect(second.n).toBe(first.n)
    expect(second.headers.get('age')).toMatch(/^\d+$/)
    expect(second.headers.get('content-type')).toBe('application/json')
    expect(second.headers.get('x-amzn-requestid')).not.toBe(first.headers.get('x-amzn-requestid'))
    expect(await hits(tag)).toBe(1)
  })

  it('serves HEAD from the cached GET without calling the upstream', async () => {
    const { host } = await cachedApi({
      routes: [cachedRoute({ routeKey: 'ANY /items/{proxy+}' })],
    })
    const tag = crypto.randomUUID()
    const path = freshPath()
    await call(host, path, { 'x-test-tag': tag })
    const head = await call(host, path, { 'x-test-tag': tag }, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.headers.get('x-cache')).toBe('Hit')
    expect(head.text).toBe('')
    expect(await hits(tag)).toBe(1)
  })

  it('does not cache when the stage cache cluster is off', async () => {
    const { host } = await cachedApi({ stageExtras: { cacheClusterEnabled: false } })
    const tag = crypto.randomUUID()
    const path = freshPath()
    const first = await call(host, path, { 'x-test-tag': tag })
    await call(host, path, { 'x-test-tag': tag })
    expect(first.headers.get('x-cache')).toBeNull()
    expect(await hits(tag)).toBe(2)
  })

  it('does not cache when the TTL is 0 or caching is off for the route', async () => {
    const zero = await cachedApi({ settings: { cacheTtlInSeconds: 0 } })
    const off = await cachedApi({
      routeSettings: { '/items/{proxy+}/GET': { cachingEnabled: false } },
    })
    for (const { host } of [zero, off]) {
      const tag = crypto.randomUUID()
      const path = freshPath()
      await call(host, path, { 'x-test-tag': tag })
      const second = await call(host, path, { 'x-test-tag': tag })
      expect(second.headers.get('x-cache')).toBeNull()
      expect(await hits(tag)).toBe(2)
    }
  })

  it('enables caching per route with the AWS method key over a disabled stage default', async () => {
    const { host } = await cachedApi({
      settings: { cachingEnabled: false },
      routeSettings: { '/items/{proxy+}/GET': { cachingEnabled: true, cacheTtlInSeconds: 60 } },
    })
    const tag = crypto.randomUUID()
    const path = freshPath()
    await call(host, path, { 'x-test-tag': tag })
    const second = await call(host, path, { 'x-test-tag': tag })
    expect(second.headers.get('x-cache')).toBe('Hit')
    expect(await hits(tag)).toBe(1)
  })

  it('never caches POST unless caching is enabled under its own method key', async () => {
    const route = cachedRoute({ routeKey: 'POST /items/{proxy+}' })
    const plain = await cachedApi({ routes: [route] })
    const keyed = await cachedApi({
      routes: [route],
      routeSettings: { '/items/{proxy+}/POST': { cachingEnabled: true } },
    })
    const tagPlain = crypto.randomUUID()
    const pathPlain = freshPath()
    await call(plain.host, pathPlain, { 'x-test-tag': tagPlain }, 'POST')
    await call(plain.host, pathPlain, { 'x-test-tag': tagPlain }, 'POST')
    expect(await hits(tagPlain)).toBe(2)
    const tagKeyed = crypto.randomUUID()
    const pathKeyed = freshPath()
    await call(keyed.host, pathKeyed, { 'x-test-tag': tagKeyed }, 'POST')
    const second = await call(keyed.host, pathKeyed, { 'x-test-tag': tagKeyed }, 'POST')
    expect(second.headers.get('x-cache')).toBe('Hit')
    expect(await hits(tagKeyed)).toBe(1)
  })

  it('expires an entry after its TTL (1 s TTL, checked after 2.5 s)', async () => {
    const { host } = await cachedApi({ settings: { cacheTtlInSeconds: 1 } })
    const tag = crypto.randomUUID()
    const path = freshPath()
    const first = await call(host, path, { 'x-test-tag': tag })
    await sleep(2500)
    const later = await call(host, path, { 'x-test-tag': tag })
    expect(later.headers.get('x-cache')).toBe('Miss')
    expect(later.n).not.toBe(first.n)
    expect(await hits(tag)).toBe(2)
  })

  it('misses every entry after the stage cache generation changes (flush)', async () => {
    const seeded = await cachedApi()
    const tag = crypto.randomUUID()
    const path = freshPath()
    await call(seeded.host, path, { 'x-test-tag': tag })
    expect((await call(seeded.host, path, { 'x-test-tag': tag })).headers.get('x-cache')).toBe(
      'Hit'
    )
    await writeStage({
      apiId: seeded.apiId,
      stageName: 'dev',
      deploymentId: seeded.deploymentId,
      cacheClusterEnabled: true,
      cacheGeneration: 1,
      defaultRouteSettings: { cachingEnabled: true, cacheTtlInSeconds: 300 },
    })
    noteLocalConfigChange()
    const after = await call(seeded.host, path, { 'x-test-tag': tag })
    expect(after.headers.get('x-cache')).toBe('Miss')
    expect(await hits(tag)).toBe(2)
  })
})

describe('cache key parameters', () => {
  const route = cachedRoute({
    cacheKeyParameters: ['method.request.querystring.q', 'method.request.header.X-Variant'],
  })

  it('keys on a declared query parameter: a different value is a different entry', async () => {
    const { host } = await cachedApi({ routes: [route] })
    const tag = crypto.randomUUID()
    const base = freshPath()
    const a = await call(host, `${base}?q=a`, { 'x-test-tag': tag })
    const b = await call(host, `${base}?q=b`, { 'x-test-tag': tag })
    const a2 = await call(host, `${base}?q=a`, { 'x-test-tag': tag })
    expect(b.headers.get('x-cache')).toBe('Miss')
    expect(b.n).not.toBe(a.n)
    expect(a2.headers.get('x-cache')).toBe('Hit')
    expect(a2.n).toBe(a.n)
    expect(await hits(tag)).toBe(2)
  })

  it('keys on every value of a repeated query parameter', async () => {
    const { host } = await cachedApi({ routes: [route] })
    const tag = crypto.randomUUID()
    const base = freshPath()
    await call(host, `${base}?q=a`, { 'x-test-tag': tag })
    const both = await call(host, `${base}?q=a&q=b`, { 'x-test-tag': tag })
    expect(both.headers.get('x-cache')).toBe('Miss')
  })

  it('shares the entry across undeclared query parameters (AWS)', async () => {
    const { host } = await cachedApi({ routes: [route] })
    const tag = crypto.randomUUID()
    const base = freshPath()
    const first = await call(host, `${base}?q=a&other=1`, { 'x-test-tag': tag })
    const second = await call(host, `${base}?q=a&other=2`, { 'x-test-tag': tag })
    expect(second.headers.get('x-cache')).toBe('Hit')
    expect(second.n).toBe(first.n)
    expect(await hits(tag)).toBe(1)
  })

  it('keys on a declared header (case-insensitive name)', async () => {
    const { host } = await cachedApi({ routes: [route] })
    const tag = crypto.randomUUID()
    const path = freshPath()
    await call(host, path, { 'x-test-tag': tag, 'x-variant': 'one' })
    const other = await call(host, path, { 'x-test-tag': tag, 'x-variant': 'two' })
    const again = await call(host, path, { 'x-test-tag': tag, 'X-VARIANT': 'one' })
    expect(other.headers.get('x-cache')).toBe('Miss')
    expect(again.headers.get('x-cache')).toBe('Hit')
    expect(await hits(tag)).toBe(2)
  })

  it('keys on the canonical path: another path is another entry', async () => {
    const { host } = await cachedApi()
    const tag = crypto.randomUUID()
    await call(host, freshPath(), { 'x-test-tag': tag })
    const other = await call(host, freshPath(), { 'x-test-tag': tag })
    expect(other.headers.get('x-cache')).toBe('Miss')
    expect(await hits(tag)).toBe(2)
  })
})
