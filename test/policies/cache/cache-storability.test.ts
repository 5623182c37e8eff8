import { describe, expect, it } from 'vitest'
import { hits } from '../support'
import { cachedApi, call, freshPath } from './support'

/** Two identical requests; how many reached the upstream and what the second said. */
async function twice(host: string, query: string) {
  const tag = crypto.randomUUID()
  const path = freshPath(query)
  const first = await call(host, path, { 'x-test-tag': tag })
  const second = await call(host, path, { 'x-test-tag': tag })
  return { first, second, upstreamCalls: await hits(tag) }
}

describe('what the cache never stores', () => {
  const refused: [string, string][] = [
    ['Cache-Control: private', '?cc=private'],
    ['Cache-Control: no-store', '?cc=no-store'],
    ['Cache-Control: no-cache', '?cc=no-cache'],
    ['Cache-Control: max-age=0', '?cc=max-age%3D0'],
    ['Set-Cookie', '?cookie=session%3Dabc'],
    ['a 404', '?status=404'],
    ['a 500', '?status=500'],
    ['a 206', '?status=206'],
    ['a body declared over 1 MB', `?size=${String(1024 * 1024 + 1)}`],
    ['a chunked body counted over 1 MB', `?size=${String(1024 * 1024 + 1)}&chunked=1`],
    ['an Expires in the past', '?expires=Thu%2C%2001%20Jan%201970%2000%3A00%3A00%20GMT'],
    ['an invalid Expires', '?expires=0'],
    ['an Age beyond max-age', '?cc=max-age%3D10&age=20'],
  ]
  for (const [what, query] of refused) {
    it(`does not store ${what}`, async () => {
      const { host } = await cachedApi()
      const { first, second, upstreamCalls } = await twice(host, query)
      expect(first.headers.get('x-cache')).toBe('Miss')
      expect(second.headers.get('x-cache')).toBe('Miss')
      expect(upstreamCalls).toBe(2)
    })
  }

  it('streams an oversized body to the client in full even though it is not stored', async () => {
    const { host } = await cachedApi()
    const size = 1024 * 1024 + 100
    const { first } = await twice(host, `?size=${String(size)}&chunked=1`)
    expect(first.status).toBe(200)
    expect(first.text.length).toBe(size)
  })

  it('stores a body of exactly 1 MB', async () => {
    const { host } = await cachedApi()
    const { second, upstreamCalls } = await twice(host, `?size=${String(1024 * 1024)}&chunked=1`)
    expect(second.headers.get('x-cache')).toBe('Hit')
    expect(second.text.length).toBe(1024 * 1024)
    expect(upstreamCalls).toBe(1)
  })

  it('stores a 404 when the route opts in to cacheNonSuccessResponses', async () => {
    const { host } = await cachedApi({ settings: { cacheNonSuccessResponses: true } })
    const { second, upstreamCalls } = await twice(host, '?status=404')
    expect(second.status).toBe(404)
    expect(second.headers.get('x-cache')).toBe('Hit')
    expect(upstreamCalls).toBe(1)
  })

  it('stores a response with public, s-maxage and an ETag, and serves the upstream headers back', async () => {
    const { host } = await cachedApi()
    const { second } = await twice(host, '?cc=public%2C%20s-maxage%3D60&etag=%22v1%22')
    expect(second.headers.get('x-cache')).toBe('Hit')
    expect(second.headers.get('cache-control')).toBe('public, s-maxage=60')
    expect(second.headers.get('etag')).toBe('"v1"')
    expect(second.headers.get('x-portico-stored-at')).toBeNull()
  })

  it('does not store when the client sent Cache-Control: no-store', async () => {
    const { host } = await cachedApi()
    const tag = crypto.randomUUID()
    const path = freshPath()
    await call(host, path, { 'x-test-tag': tag, 'cache-control': 'no-store' })
    const second = await call(host, path, { 'x-test-tag': tag })
    expect(second.headers.get('x-cache')).toBe('Miss')
  })
})
