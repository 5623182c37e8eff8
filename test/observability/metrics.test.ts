import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import { METRICS, Metrics } from '../../src/observability/metrics'
import { addMetrics } from '../../src/storage/metrics'
import { cachedApi, call, freshPath } from '../policies/cache/support'

async function metricValue(apiId: string, metric: string): Promise<number> {
  const row = await env.DB.prepare(
    'SELECT SUM(value) AS value FROM metrics WHERE api_id = ? AND stage = ? AND metric = ?'
  )
    .bind(apiId, 'dev', metric)
    .first<{ value: number | null }>()
  return row?.value ?? 0
}

describe('metrics', () => {
  it('batches counts in the isolate and adds them to D1 per (api, stage, metric, minute)', async () => {
    const now = Date.UTC(2026, 2, 4, 19, 15, 10)
    const metrics = new Metrics({ intervalMs: 0, now: () => now })
    const ctx = createExecutionContext()
    const scope = { env, executionCtx: ctx }
    metrics.count(scope, 'metricsapi1', 'dev', 'CacheHitCount')
    metrics.count(scope, 'metricsapi1', 'dev', 'CacheHitCount')
    metrics.count(scope, 'metricsapi1', 'dev', 'CacheMissCount')
    expect(metrics.pending()).toHaveLength(2)
    await waitOnExecutionContext(ctx)
    metrics.count(scope, 'metricsapi1', 'dev', 'CacheHitCount')
    await metrics.flush(env.DB)
    const rows = await env.DB.prepare(
      'SELECT metric, minute, value FROM metrics WHERE api_id = ? ORDER BY metric'
    )
      .bind('metricsapi1')
      .all<{ metric: string; minute: string; value: number }>()
    expect(rows.results).toEqual([
      { metric: 'CacheHitCount', minute: '2026-03-04T19:15', value: 3 },
      { metric: 'CacheMissCount', minute: '2026-03-04T19:15', value: 1 },
    ])
  })

  it('schedules at most one flush per interval however many counts arrive', async () => {
    const writes: number[] = []
    const metrics = new Metrics({
      intervalMs: 0,
      write: (_db, rows) => {
        writes.push(rows.length)
        return Promise.resolve()
      },
    })
    const ctx = createExecutionContext()
    for (let i = 0; i < 50; i++) {
      metrics.count({ env, executionCtx: ctx }, 'a', 'dev', 'CacheHitCount')
    }
    await waitOnExecutionContext(ctx)
    expect(writes).toEqual([1])
  })

  it('keeps the counts of a failed flush for the next one, and logs', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    let fail = true
    const metrics = new Metrics({
      intervalMs: 0,
      write: (db, rows) => (fail ? Promise.reject(new Error('D1 down')) : addMetrics(db, rows)),
    })
    const ctx = createExecutionContext()
    metrics.count({ env, executionCtx: ctx }, 'metricsapi2', 'dev', 'CacheMissCount', 2)
    await waitOnExecutionContext(ctx)
    expect(metrics.pending()).toHaveLength(1)
    expect(log.mock.calls.some((c) => String(c[0]).includes('metrics_flush_failed'))).toBe(true)
    fail = false
    await metrics.flush(env.DB)
    expect(await metricValue('metricsapi2', 'CacheMissCount')).toBe(2)
    log.mockRestore()
  })

  it('counts CacheHitCount and CacheMissCount of cached routes into D1', async () => {
    const { host, apiId } = await cachedApi()
    const path = freshPath()
    await call(host, path)
    await call(host, path)
    await call(host, path)
    await METRICS.flush(env.DB)
    expect(await metricValue(apiId, 'CacheMissCount')).toBe(1)
    expect(await metricValue(apiId, 'CacheHitCount')).toBe(2)
  })
})
