import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { Metrics } from '../../../src/observability/metrics'
import type { RequestContext } from '../../../src/pipeline/types'
import { buildCache } from '../../../src/policies/cache/cache-policy'
import type { CacheStore } from '../../../src/policies/cache/store'
import { makeApi, makeRequestContext, makeRoute } from '../../support/request-context'

const api = makeApi({ protocolType: 'REST' })
const route = makeRoute({ routeKey: 'GET /items' })

function cachedCtx(headers: HeadersInit = {}): RequestContext {
  const base = makeRequestContext({ api, route, request: '/dev/items', headers })
  return {
    ...base,
    executionCtx: createExecutionContext(),
    stage: {
      ...base.stage,
      cacheClusterEnabled: true,
      defaultRouteSettings: { cachingEnabled: true, cacheTtlInSeconds: 60 },
    },
  }
}

function memoryStore(): CacheStore & { entries: Map<string, Response> } {
  const entries = new Map<string, Response>()
  return {
    entries,
    match: (key) => Promise.resolve(entries.get(key.url)?.clone()),
    put: (key, response) => {
      entries.set(key.url, response)
      return Promise.resolve()
    },
    delete: (key) => Promise.resolve(entries.delete(key.url)),
  }
}

const throwing: CacheStore = {
  match: () => Promise.reject(new Error('cache down')),
  put: () => Promise.reject(new Error('cache down')),
  delete: () => Promise.reject(new Error('cache down')),
}

const noMetrics = () => new Metrics({ intervalMs: 0, write: () => Promise.resolve() })

describe('cache failures never fail the request', () => {
  it('falls through to the integration when match and put throw, and logs', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const handler = buildCache({
      api,
      route,
      integration: undefined,
      store: throwing,
      metrics: noMetrics(),
    })
    const ctx = cachedCtx()
    const res = await handler?.(ctx, () => Promise.resolve(new Response('from upstream')))
    expect(res?.status).toBe(200)
    expect(await res?.text()).toBe('from upstream')
    await waitOnExecutionContext(ctx.executionCtx as ExecutionContext)
    const events = log.mock.calls.map((c) => String(c[0]))
    expect(events.some((e) => e.includes('"op":"match"'))).toBe(true)
    expect(events.some((e) => e.includes('"op":"put"'))).toBe(true)
    log.mockRestore()
  })
})

describe('the cache write is off the response path', () => {
  it('returns the response before the upstream body has ended, and stores it only afterwards', async () => {
    const store = memoryStore()
    const handler = buildCache({ api, route, integration: undefined, store, metrics: noMetrics() })
    const ctx = cachedCtx()
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c
      },
    })
    const res = await handler?.(ctx, () => Promise.resolve(new Response(body)))
    // The handler answered while the upstream body is still open: nothing was buffered first.
    expect(res?.status).toBe(200)
    expect(store.entries.size).toBe(0)
    const reader = res?.body?.getReader()
    controller?.enqueue(new TextEncoder().encode('part-1 '))
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe('part-1 ')
    controller?.enqueue(new TextEncoder().encode('part-2'))
    controller?.close()
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe('part-2')
    await waitOnExecutionContext(ctx.executionCtx as ExecutionContext)
    expect(store.entries.size).toBe(1)
    const [stored] = [...store.entries.values()]
    expect(await stored?.text()).toBe('part-1 part-2')
  })

  it('does not wait for a put that never finishes', async () => {
    const hanging: CacheStore = {
      match: () => Promise.resolve(undefined),
      put: () => new Promise(() => undefined),
      delete: () => Promise.resolve(false),
    }
    const handler = buildCache({
      api,
      route,
      integration: undefined,
      store: hanging,
      metrics: noMetrics(),
    })
    const res = await handler?.(cachedCtx(), () => Promise.resolve(new Response('ok')))
    expect(await res?.text()).toBe('ok')
  })

  it('expires an entry by the injected clock, not only by the store', async () => {
    const store = memoryStore()
    let now = Date.UTC(2026, 0, 1)
    const handler = buildCache({
      api,
      route,
      integration: undefined,
      store,
      now: () => now,
      metrics: noMetrics(),
    })
    let calls = 0
    const upstream = () => {
      calls++
      return Promise.resolve(
        new Response(`v${String(calls)}`, { headers: { 'cache-control': 'max-age=30' } })
      )
    }
    const run = async () => {
      const ctx = cachedCtx()
      const res = await handler?.(ctx, upstream)
      const text = await res?.text()
      await waitOnExecutionContext(ctx.executionCtx as ExecutionContext)
      return { text, cache: ctx.responseHeaders.get('x-cache'), age: res?.headers.get('age') }
    }
    expect((await run()).cache).toBe('Miss')
    now += 29_000
    // TTL = min(route 60 s, upstream max-age 30 s): still fresh at 29 s, Age 29.
    expect(await run()).toEqual({ text: 'v1', cache: 'Hit', age: '29' })
    now += 2_000
    expect(await run()).toMatchObject({ text: 'v2', cache: 'Miss' })
  })
})
