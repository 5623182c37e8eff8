import { describe, expect, it } from 'vitest'
import { insertKey, insertPlan } from '../support'
import { cachedApi, cachedRoute, call, freshPath } from './support'

async function keyedApi(shared = false) {
  const seeded = await cachedApi({
    routes: [cachedRoute({ apiKeyRequired: true, ...(shared ? { cacheShared: true } : {}) })],
  })
  const planId = await insertPlan({ apiStages: [{ apiId: seeded.apiId, stage: 'dev' }] })
  const a = await insertKey([planId])
  const b = await insertKey([planId])
  return { ...seeded, a, b }
}

describe('cache isolation between callers', () => {
  it('never serves caller A’s cached body to caller B on a keyed route', async () => {
    const { host, a, b } = await keyedApi()
    const path = freshPath()
    const tag = crypto.randomUUID()
    const fromA = await call(host, path, {
      'x-api-key': a.value,
      'x-caller': 'A',
      'x-test-tag': tag,
    })
    const fromB = await call(host, path, {
      'x-api-key': b.value,
      'x-caller': 'B',
      'x-test-tag': tag,
    })
    const againA = await call(host, path, {
      'x-api-key': a.value,
      'x-caller': 'A',
      'x-test-tag': tag,
    })
    const againB = await call(host, path, {
      'x-api-key': b.value,
      'x-caller': 'B',
      'x-test-tag': tag,
    })
    expect(fromA.body?.caller).toBe('A')
    expect(fromB.headers.get('x-cache')).toBe('Miss')
    expect(fromB.body?.caller).toBe('B')
    expect(againA.headers.get('x-cache')).toBe('Hit')
    expect(againA.body?.caller).toBe('A')
    expect(againB.headers.get('x-cache')).toBe('Hit')
    expect(againB.body?.caller).toBe('B')
  })

  it('shares entries between callers on a route marked cacheShared', async () => {
    const { host, a, b } = await keyedApi(true)
    const path = freshPath()
    const fromA = await call(host, path, { 'x-api-key': a.value, 'x-caller': 'A' })
    const fromB = await call(host, path, { 'x-api-key': b.value, 'x-caller': 'B' })
    expect(fromB.headers.get('x-cache')).toBe('Hit')
    expect(fromB.n).toBe(fromA.n)
  })

  it('a request rejected for its key is never answered from the cache', async () => {
    const { host, a } = await keyedApi(true)
    const path = freshPath()
    await call(host, path, { 'x-api-key': a.value })
    const anonymous = await call(host, path)
    expect(anonymous.status).toBe(403)
    expect(anonymous.headers.get('x-cache')).toBeNull()
  })
})

describe('cache poisoning through unkeyed headers', () => {
  it('a header reflected by the upstream for caller A never reaches caller B’s different key', async () => {
    const { host } = await cachedApi({
      routes: [cachedRoute({ cacheKeyParameters: ['method.request.querystring.q'] })],
    })
    const base = freshPath()
    const poisoned = await call(host, `${base}?q=a`, { 'x-reflect': '<script>evil</script>' })
    const clean = await call(host, `${base}?q=b`)
    const cleanAgain = await call(host, `${base}?q=b`)
    expect(poisoned.body?.reflected).toBe('<script>evil</script>')
    expect(clean.body?.reflected).toBeNull()
    expect(cleanAgain.headers.get('x-cache')).toBe('Hit')
    expect(cleanAgain.text).not.toContain('evil')
  })

  it('honours Vary: a request with another value of the varied header is not served the entry', async () => {
    const { host } = await cachedApi()
    const path = freshPath('?vary=X-Reflect')
    const tag = crypto.randomUUID()
    const poisoned = await call(host, path, { 'x-reflect': 'evil', 'x-test-tag': tag })
    const other = await call(host, path, { 'x-reflect': 'good', 'x-test-tag': tag })
    const none = await call(host, path, { 'x-test-tag': tag })
    expect(poisoned.body?.reflected).toBe('evil')
    expect(other.headers.get('x-cache')).toBe('Miss')
    expect(other.body?.reflected).toBe('good')
    expect(none.headers.get('x-cache')).toBe('Miss')
    expect(none.body?.reflected).toBeNull()
    // The same selecting value is a hit, with Vary restored for downstream caches.
    const same = await call(host, path, { 'x-test-tag': tag })
    expect(same.headers.get('x-cache')).toBe('Hit')
    expect(same.headers.get('vary')).toBe('X-Reflect')
  })

  it('never stores a response with Vary: *', async () => {
    const { host } = await cachedApi()
    const path = freshPath('?vary=*')
    const tag = crypto.randomUUID()
    await call(host, path, { 'x-test-tag': tag })
    const second = await call(host, path, { 'x-test-tag': tag })
    expect(second.headers.get('x-cache')).toBe('Miss')
  })

  it('does not share a response to an Authorization request on an open route unless it is public', async () => {
    const { host } = await cachedApi()
    const tag = crypto.randomUUID()
    const privatePath = freshPath()
    await call(host, privatePath, { authorization: 'Bearer a', 'x-test-tag': tag })
    const other = await call(host, privatePath, { authorization: 'Bearer b', 'x-test-tag': tag })
    expect(other.headers.get('x-cache')).toBe('Miss')
    const publicPath = freshPath('?cc=public')
    await call(host, publicPath, { authorization: 'Bearer a' })
    const shared = await call(host, publicPath, { authorization: 'Bearer b' })
    expect(shared.headers.get('x-cache')).toBe('Hit')
  })
})
