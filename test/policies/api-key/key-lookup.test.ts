import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { GatewayError } from '../../../src/errors/gateway-error'
import { type ApiKeyState, createApiKeyPolicy } from '../../../src/policies/api-key/api-key-policy'
import { KeyCache, type Lookup } from '../../../src/policies/api-key/key-cache'
import { MAX_MISSES, MissLimiter } from '../../../src/policies/api-key/miss-limiter'
import type { PolicyHandler, RequestContext } from '../../../src/pipeline/types'
import { findKeyByHash } from '../../../src/storage/api-keys'
import { makeApi, makeRequestContext, makeRoute } from '../../support/request-context'
import { freshIp, insertKey, insertPlan } from '../support'

const api = makeApi({ id: 'abc123defg' })
const route = makeRoute({ apiKeyRequired: true })

/** An isolated policy state whose D1 lookups are counted (or replaced by `find`). */
function countedState(find?: (hash: string) => Promise<Lookup>) {
  const calls: string[] = []
  const state: ApiKeyState = {
    cache: new KeyCache(),
    misses: new MissLimiter(),
    now: () => Date.now(),
    find: (ctx, hash) => {
      calls.push(hash)
      return find ? find(hash) : findKeyByHash(ctx.env.DB, hash)
    },
  }
  return { state, calls }
}

function handlerFor(state: ApiKeyState, apiConfig = api): PolicyHandler {
  const handler = createApiKeyPolicy(state).build({ api: apiConfig, route, integration: undefined })
  if (handler === undefined) throw new Error('expected a handler for an apiKeyRequired route')
  return handler
}

async function outcome(handler: PolicyHandler, ctx: RequestContext): Promise<string> {
  try {
    await handler(ctx, () => Promise.resolve(new Response('upstream')))
    return 'passed'
  } catch (e) {
    if (e instanceof GatewayError) return e.type
    throw e
  }
}

const ctxWith = (key: string, ip = freshIp()) =>
  makeRequestContext({ api, route, clientIp: ip, headers: { 'x-api-key': key } })

afterEach(() => {
  vi.restoreAllMocks()
})

describe('API key lookups', () => {
  it('sets the key id and the covering plan on the identity', async () => {
    const planId = await insertPlan({ apiStages: [{ apiId: api.id, stage: 'dev' }] })
    const key = await insertKey([planId])
    const ctx = ctxWith(key.value)
    expect(await outcome(handlerFor(countedState().state), ctx)).toBe('passed')
    expect(ctx.identity.apiKeyId).toBe(key.id)
    expect(ctx.identity.usagePlan?.id).toBe(planId)
  })

  it('queries D1 at most once per unknown key while it is cached negatively', async () => {
    const { state, calls } = countedState()
    const handler = handlerFor(state)
    for (let i = 0; i < 5; i++) {
      expect(await outcome(handler, ctxWith('ptk_unknown_0123456789abcdef'))).toBe(
        'INVALID_API_KEY'
      )
    }
    expect(calls).toHaveLength(1)
  })

  it(`stops querying D1 for a client IP after ${String(MAX_MISSES)} unknown keys`, async () => {
    const { state, calls } = countedState()
    const handler = handlerFor(state)
    const ip = freshIp()
    const results: string[] = []
    for (let i = 0; i < MAX_MISSES + 10; i++) {
      results.push(await outcome(handler, ctxWith(`ptk_guess_${String(i)}_0123456789`, ip)))
    }
    expect(calls).toHaveLength(MAX_MISSES)
    expect(results.slice(0, MAX_MISSES).every((r) => r === 'INVALID_API_KEY')).toBe(true)
    expect(results.slice(MAX_MISSES).every((r) => r === 'THROTTLED')).toBe(true)
  })

  it('fails closed with 503 and Retry-After when D1 throws, logging no key value', async () => {
    const log = vi.spyOn(console, 'log')
    const { state } = countedState(() => Promise.reject(new Error('D1_ERROR: database down')))
    const secret = 'ptk_secret_value_0123456789abcdef'
    let caught: unknown
    try {
      await handlerFor(state)(ctxWith(secret), () => Promise.resolve(new Response('no')))
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(GatewayError)
    if (!(caught instanceof GatewayError)) return
    expect(caught.type).toBe('SERVICE_UNAVAILABLE')
    expect(caught.detail.headers?.['Retry-After']).toBe('1')
    expect(JSON.stringify(caught.detail.reason)).not.toContain(secret)
    for (const call of log.mock.calls) expect(JSON.stringify(call)).not.toContain(secret)
  })

  it('does not cache a D1 failure: the next request queries again', async () => {
    let fail = true
    const { state, calls } = countedState((hash) =>
      fail ? Promise.reject(new Error('D1 down')) : findKeyByHash(env.DB, hash)
    )
    const handler = handlerFor(state)
    expect(await outcome(handler, ctxWith('ptk_retry_0123456789abcdef'))).toBe(
      'SERVICE_UNAVAILABLE'
    )
    fail = false
    expect(await outcome(handler, ctxWith('ptk_retry_0123456789abcdef'))).toBe('INVALID_API_KEY')
    expect(calls).toHaveLength(2)
  })

  it('takes the key from the authorizer (apiKeySource AUTHORIZER), never from x-api-key', async () => {
    const planId = await insertPlan({ apiStages: [{ apiId: api.id, stage: 'dev' }] })
    const key = await insertKey([planId])
    const viaAuthorizer = makeApi({ id: api.id, apiKeySource: 'AUTHORIZER' })
    const handler = handlerFor(countedState().state, viaAuthorizer)
    const fromHeader = makeRequestContext({
      api: viaAuthorizer,
      route,
      headers: { 'x-api-key': key.value },
    })
    expect(await outcome(handler, fromHeader)).toBe('INVALID_API_KEY')
    const fromAuthorizer = makeRequestContext({
      api: viaAuthorizer,
      route,
      identity: { apiKey: key.value },
    })
    expect(await outcome(handler, fromAuthorizer)).toBe('passed')
    expect(fromAuthorizer.identity.apiKeyId).toBe(key.id)
  })

  it('expires cached entries after the TTL (injected clock)', async () => {
    let now = 1_000
    const cache = new KeyCache(3_000)
    await cache.load(
      'h',
      () => Promise.resolve(null),
      () => now
    )
    expect(cache.peek('h', now + 2_999)).toBeNull()
    now += 3_000
    expect(cache.peek('h', now)).toBeUndefined()
  })

  it('forgets a blocked IP when its window ends (injected clock)', () => {
    const limiter = new MissLimiter(2, 60_000)
    limiter.recordMiss('ip', 0)
    limiter.recordMiss('ip', 1)
    expect(limiter.blockedFor('ip', 10)).toBe(59_990)
    expect(limiter.blockedFor('ip', 60_000)).toBe(0)
  })
})
