import { describe, expect, it } from 'vitest'
import type { RouteSettingsConfig } from '../../../src/config/types'
import { IGNORED_WARNING, INVALIDATE_CACHE_TAG } from '../../../src/policies/cache/invalidation'
import { hits, insertKey, insertPlan } from '../support'
import { cachedApi, cachedRoute, call, freshPath } from './support'

const BUST = { 'cache-control': 'max-age=0' }

/** Fills an entry, then sends `headers`; returns the answer and the upstream call count. */
async function bust(settings: RouteSettingsConfig, headers: Record<string, string> = BUST) {
  const { host } = await cachedApi({ settings })
  const tag = crypto.randomUUID()
  const path = freshPath()
  const first = await call(host, path, { 'x-test-tag': tag })
  const res = await call(host, path, { 'x-test-tag': tag, ...headers })
  return { first, res, upstreamCalls: await hits(tag), host, path, tag }
}

describe('client cache invalidation (Cache-Control: max-age=0)', () => {
  it('refreshes the entry when the route does not require authorization', async () => {
    const { first, res, upstreamCalls, host, path, tag } = await bust({
      requireAuthorizationForCacheControl: false,
    })
    expect(res.headers.get('x-cache')).toBe('Miss')
    expect(res.n).not.toBe(first.n)
    expect(upstreamCalls).toBe(2)
    // The refreshed response replaced the entry.
    const after = await call(host, path, { 'x-test-tag': tag })
    expect(after.headers.get('x-cache')).toBe('Hit')
    expect(after.n).toBe(res.n)
  })

  it('treats Cache-Control: no-cache from the client as an invalidation too', async () => {
    const { res, upstreamCalls } = await bust(
      { requireAuthorizationForCacheControl: false },
      { 'cache-control': 'no-cache' }
    )
    expect(res.headers.get('x-cache')).toBe('Miss')
    expect(upstreamCalls).toBe(2)
  })

  it('unauthorized, FAIL_WITH_403: 403 with the AWS message and no upstream call', async () => {
    const { res, upstreamCalls } = await bust({
      requireAuthorizationForCacheControl: true,
      unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
    })
    expect(res.status).toBe(403)
    expect(res.body?.message).toMatch(
      /^User: anonymous is not authorized to perform: execute-api:InvalidateCache on resource: arn:aws:execute-api:/
    )
    expect(upstreamCalls).toBe(1)
  })

  it('unauthorized, SUCCEED_WITH_RESPONSE_HEADER (the default): served from cache with a Warning', async () => {
    const { first, res, upstreamCalls } = await bust({})
    expect(res.status).toBe(200)
    expect(res.headers.get('x-cache')).toBe('Hit')
    expect(res.n).toBe(first.n)
    expect(res.headers.get('warning')).toBe(IGNORED_WARNING)
    expect(upstreamCalls).toBe(1)
  })

  it('unauthorized, SUCCEED_WITHOUT_RESPONSE_HEADER: served from cache silently', async () => {
    const { first, res, upstreamCalls } = await bust({
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITHOUT_RESPONSE_HEADER',
    })
    expect(res.headers.get('x-cache')).toBe('Hit')
    expect(res.n).toBe(first.n)
    expect(res.headers.get('warning')).toBeNull()
    expect(upstreamCalls).toBe(1)
  })

  it(`lets a caller whose plan carries ${INVALIDATE_CACHE_TAG}=true invalidate; others not`, async () => {
    const seeded = await cachedApi({
      routes: [cachedRoute({ apiKeyRequired: true, cacheShared: true })],
      settings: { unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' },
    })
    const stages = [{ apiId: seeded.apiId, stage: 'dev' }]
    const admin = await insertKey([
      await insertPlan({ apiStages: stages, tags: { [INVALIDATE_CACHE_TAG]: 'true' } }),
    ])
    const user = await insertKey([await insertPlan({ apiStages: stages })])
    const path = freshPath()
    const first = await call(seeded.host, path, { 'x-api-key': user.value })
    const denied = await call(seeded.host, path, { 'x-api-key': user.value, ...BUST })
    const refreshed = await call(seeded.host, path, { 'x-api-key': admin.value, ...BUST })
    expect(denied.status).toBe(403)
    expect(refreshed.status).toBe(200)
    expect(refreshed.headers.get('x-cache')).toBe('Miss')
    expect(refreshed.n).not.toBe(first.n)
  })

  it('removes the entry when the refreshed response may not be stored', async () => {
    const { host } = await cachedApi({ settings: { requireAuthorizationForCacheControl: false } })
    const tag = crypto.randomUUID()
    const base = freshPath()
    // Same key (undeclared query), different upstream answers: first storable, then private.
    await call(host, `${base}?cc=max-age%3D60`, { 'x-test-tag': tag })
    await call(host, `${base}?cc=private`, { 'x-test-tag': tag, ...BUST })
    const after = await call(host, `${base}?cc=max-age%3D60`, { 'x-test-tag': tag })
    expect(after.headers.get('x-cache')).toBe('Miss')
    expect(await hits(tag)).toBe(3)
  })
})
