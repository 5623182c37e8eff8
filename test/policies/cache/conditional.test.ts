import { describe, expect, it } from 'vitest'
import { hits } from '../support'
import { cachedApi, call, freshPath } from './support'

const LM = 'Wed, 01 Jan 2025 00:00:00 GMT'

describe('conditional requests answered from the cache', () => {
  it('answers If-None-Match with a matching ETag with 304 and no upstream call', async () => {
    const { host } = await cachedApi()
    const tag = crypto.randomUUID()
    const path = freshPath('?etag=%22abc%22&cc=max-age%3D60')
    await call(host, path, { 'x-test-tag': tag })
    const res = await call(host, path, { 'x-test-tag': tag, 'if-none-match': 'W/"abc", "x"' })
    expect(res.status).toBe(304)
    expect(res.text).toBe('')
    expect(res.headers.get('etag')).toBe('"abc"')
    expect(res.headers.get('cache-control')).toBe('max-age=60')
    expect(res.headers.get('x-cache')).toBe('Hit')
    expect(await hits(tag)).toBe(1)
  })

  it('answers a non-matching If-None-Match with the full stored 200', async () => {
    const { host } = await cachedApi()
    const path = freshPath('?etag=%22abc%22')
    const first = await call(host, path)
    const res = await call(host, path, { 'if-none-match': '"other"' })
    expect(res.status).toBe(200)
    expect(res.n).toBe(first.n)
  })

  it('answers If-Modified-Since at or after Last-Modified with 304', async () => {
    const { host } = await cachedApi()
    const path = freshPath(`?lm=${encodeURIComponent(LM)}`)
    await call(host, path)
    const same = await call(host, path, { 'if-modified-since': LM })
    const older = await call(host, path, { 'if-modified-since': 'Tue, 31 Dec 2024 00:00:00 GMT' })
    expect(same.status).toBe(304)
    expect(same.headers.get('last-modified')).toBe(LM)
    expect(older.status).toBe(200)
  })

  it('ignores If-Modified-Since when If-None-Match is present (RFC 9110 §13.2.2)', async () => {
    const { host } = await cachedApi()
    const path = freshPath(`?lm=${encodeURIComponent(LM)}&etag=%22abc%22`)
    await call(host, path)
    const res = await call(host, path, { 'if-none-match': '"nope"', 'if-modified-since': LM })
    expect(res.status).toBe(200)
  })
})
