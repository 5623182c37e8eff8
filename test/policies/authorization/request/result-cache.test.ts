import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AuthorizerDecision } from '../../../../src/policies/authorization/request/decision'
import {
  AuthorizerResultCache,
  resultCacheKey,
  type CacheScope,
} from '../../../../src/policies/authorization/request/result-cache'
import { admin, deploy, importApi } from '../../../admin/helpers'
import { ISOLATE_RESULT_CACHE } from '../../../../src/policies/authorization/request/result-cache'

const SCOPE: CacheScope = {
  apiId: 'abc123defg',
  stage: 'dev',
  deploymentId: 'd1',
  generation: 0,
  authorizerId: 'a1',
}
const ALLOWED: AuthorizerDecision = { kind: 'simple', isAuthorized: true }

function put(
  cache: AuthorizerResultCache,
  key: string,
  opts: Partial<{ bytes: number; now: number; ttlMs: number; scope: CacheScope }> = {}
) {
  cache.set(key, ALLOWED, { scope: SCOPE, ttlMs: 1000, bytes: 10, now: 0, ...opts })
}

describe('authorizer result cache', () => {
  it('serves an entry until its TTL ends', () => {
    const cache = new AuthorizerResultCache()
    put(cache, 'k')
    expect(cache.get('k', 999)).toBe(ALLOWED)
    expect(cache.get('k', 1000)).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('evicts the least recently used entry past the entry cap', () => {
    const cache = new AuthorizerResultCache(2)
    put(cache, 'a')
    put(cache, 'b')
    cache.get('a', 1)
    put(cache, 'c')
    expect(cache.get('b', 1)).toBeUndefined()
    expect(cache.get('a', 1)).toBe(ALLOWED)
    expect(cache.get('c', 1)).toBe(ALLOWED)
  })

  it('evicts past the byte cap and never stores an entry larger than the cap', () => {
    const cache = new AuthorizerResultCache(100, 25)
    put(cache, 'a')
    put(cache, 'b')
    put(cache, 'c')
    expect(cache.size).toBe(2)
    put(cache, 'huge', { bytes: 26 })
    expect(cache.get('huge', 1)).toBeUndefined()
  })

  it('flushes one stage only', () => {
    const cache = new AuthorizerResultCache()
    put(cache, 'dev')
    put(cache, 'prod', { scope: { ...SCOPE, stage: 'prod' } })
    expect(cache.flushStage('abc123defg', 'dev')).toBe(1)
    expect(cache.get('dev', 1)).toBeUndefined()
    expect(cache.get('prod', 1)).toBe(ALLOWED)
  })
})

describe('result cache key', () => {
  it('never collides for distinct identity tuples, separators included (property)', async () => {
    const value = fc.string({
      unit: fc.constantFrom('a', ',', '"', '\\', '/', ']', ' ', 'é'),
      maxLength: 6,
    })
    await fc.assert(
      fc.asyncProperty(
        fc.array(value, { maxLength: 3 }),
        fc.array(value, { maxLength: 3 }),
        async (a, b) => {
          fc.pre(JSON.stringify(a) !== JSON.stringify(b))
          expect(await resultCacheKey(SCOPE, a)).not.toBe(await resultCacheKey(SCOPE, b))
        }
      ),
      { numRuns: 300 }
    )
  })

  it('differs per authorizer, stage, deployment and flush generation for one identity', async () => {
    const keys = await Promise.all([
      resultCacheKey(SCOPE, ['t']),
      resultCacheKey({ ...SCOPE, authorizerId: 'a2' }, ['t']),
      resultCacheKey({ ...SCOPE, stage: 'prod' }, ['t']),
      resultCacheKey({ ...SCOPE, deploymentId: 'd2' }, ['t']),
      resultCacheKey({ ...SCOPE, generation: 1 }, ['t']),
    ])
    expect(new Set(keys).size).toBe(5)
  })
})

describe('FlushStageAuthorizersCache', () => {
  it('drops the stage results cached in this isolate', async () => {
    const apiId = await importApi()
    await deploy(apiId, { stageName: 'prod' })
    ISOLATE_RESULT_CACHE.set('flush-test', ALLOWED, {
      scope: { ...SCOPE, apiId, stage: 'prod' },
      ttlMs: 60_000,
      bytes: 1,
      now: Date.now(),
    })
    const res = await admin('DELETE', `/restapis/${apiId}/stages/prod/cache/authorizers`)
    expect(res.status).toBe(202)
    expect(ISOLATE_RESULT_CACHE.get('flush-test', Date.now())).toBeUndefined()
  })
})
