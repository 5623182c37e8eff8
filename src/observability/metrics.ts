/**
 * Per-(API, stage, minute) counters (`CacheHitCount`, `CacheMissCount`), batched in the isolate
 * and flushed to D1 off the response path: the first count after a flush schedules one flush
 * `FLUSH_INTERVAL_MS` later in `waitUntil`, so an isolate writes at most one batch per interval
 * however busy it is, and no count waits for the next request. A failed flush is logged and its
 * counts go back into the batch (at-least-once; a batch is one D1 transaction, so a failure that
 * did commit is the only way to double count). Counts of an isolate that is evicted before its
 * flush are lost: these are operational metrics, not billing (usage is exact, elsewhere).
 */
import { addMetrics, type MetricIncrement, type MetricsWriter } from '../storage/metrics'

export type MetricName =
  | 'CacheHitCount'
  | 'CacheMissCount'
  | 'ConnectCount'
  | 'MessageCount'
  | 'IntegrationError'
  | 'ClientError'
  | 'ExecutionError'

/** At most one D1 write per isolate per interval. */
export const FLUSH_INTERVAL_MS = 5000
/** Rows kept while D1 is failing; beyond this new rows are dropped (and logged). */
const MAX_PENDING_ROWS = 5000

export interface MetricsOptions {
  readonly intervalMs?: number
  readonly now?: () => number
  readonly write?: MetricsWriter
}

export interface MetricsScope {
  readonly env: { readonly DB: D1Database }
  readonly executionCtx: Pick<ExecutionContext, 'waitUntil'>
}

function minuteOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16)
}

export class Metrics {
  private rows = new Map<string, MetricIncrement>()
  private scheduled = false
  private readonly intervalMs: number
  private readonly now: () => number
  private readonly write: MetricsWriter

  constructor(options: MetricsOptions = {}) {
    this.intervalMs = options.intervalMs ?? FLUSH_INTERVAL_MS
    this.now = options.now ?? (() => Date.now())
    this.write = options.write ?? addMetrics
  }

  /** Adds `value` to `metric` of (apiId, stage) for the current minute. */
  count(scope: MetricsScope, apiId: string, stage: string, metric: MetricName, value = 1): void {
    this.add({ apiId, stage, metric, minute: minuteOf(this.now()), value })
    if (this.scheduled) return
    this.scheduled = true
    const db = scope.env.DB
    scope.executionCtx.waitUntil(
      new Promise((resolve) => setTimeout(resolve, this.intervalMs)).then(() => this.flush(db))
    )
  }

  /** Writes every pending count now (the scheduled flush calls this; so may tests). */
  async flush(db: D1Database): Promise<void> {
    this.scheduled = false
    if (this.rows.size === 0) return
    const batch = [...this.rows.values()]
    this.rows = new Map()
    try {
      await this.write(db, batch)
    } catch (cause) {
      console.log(
        JSON.stringify({
          level: 'error',
          event: 'metrics_flush_failed',
          rows: batch.length,
          cause: cause instanceof Error ? cause.message : String(cause),
        })
      )
      for (const row of batch) this.add(row)
    }
  }

  /** Pending (unflushed) rows, for tests. */
  pending(): readonly MetricIncrement[] {
    return [...this.rows.values()]
  }

  private add(row: MetricIncrement): void {
    const key = `${row.apiId}\n${row.stage}\n${row.metric}\n${row.minute}`
    const existing = this.rows.get(key)
    if (existing !== undefined) {
      this.rows.set(key, { ...existing, value: existing.value + row.value })
      return
    }
    if (this.rows.size >= MAX_PENDING_ROWS) {
      console.log(JSON.stringify({ level: 'error', event: 'metrics_dropped', metric: row.metric }))
      return
    }
    this.rows.set(key, row)
  }
}

/** The isolate's metrics batch. */
export const METRICS = new Metrics()
