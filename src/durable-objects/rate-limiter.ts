/**
 * One object per (usage plan, API key) — or per stage/route bucket — holding its token buckets
 * (the plan-wide one and one per per-method override), the shared quota counter and per-day usage
 * (DESIGN §2). Thin: pure steps in src/rate-limit/ decide,
 * this class loads, applies, persists and flushes. Exact because the object is single-threaded
 * and every step runs without an `await` between reading and writing the state; the state is
 * written with the synchronous SQLite KV API, so a reply leaves only after its write is durable
 * (output gate) and an eviction or restart never resets or double-counts anything.
 */
import { DurableObject } from 'cloudflare:workers'
import type { LeaseGrant } from '../rate-limit/lease'
import { leaseStep, releaseStep } from '../rate-limit/lease-step'
import {
  consumeStep,
  type LimiterState,
  loadState,
  settleExpired,
  type StoredState,
} from '../rate-limit/limiter-state'
import { utcDay } from '../rate-limit/quota-period'
import type { ConsumeRequest, ConsumeResult } from '../rate-limit/types'
import { markFlushed, pendingTotals } from '../rate-limit/usage-tally'
import { type UsageWriter, writeUsage } from '../storage/usage-writer'

const STATE_KEY = 'limiter-state'
/** Usage reaches D1 within about this long of being counted. */
export const FLUSH_INTERVAL_MS = 5_000
/** Longest wait between flush retries while D1 keeps failing. */
export const MAX_FLUSH_BACKOFF_MS = 300_000

export class RateLimiter extends DurableObject<Env> {
  /** Clock of the bucket and quota math. Instance field: not reachable over RPC; tests set it. */
  now: () => number = () => Date.now()
  /** Usage writer. Instance field: not reachable over RPC; tests swap in a failing one. */
  writer: UsageWriter = writeUsage
  private state: LimiterState
  private alarmScheduled = false
  private flushFailures = 0
  private flushing: Promise<unknown> = Promise.resolve()

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    // Own storage, written only by this class: a LimiterState, or the single-bucket shape written
    // before per-method buckets, which loadState migrates.
    this.state = loadState(ctx.storage.kv.get<StoredState>(STATE_KEY))
  }

  /** Throttle and quota for one request; a rejection debits nothing. */
  async consume(request: ConsumeRequest): Promise<ConsumeResult> {
    const step = consumeStep(this.state, request, this.now())
    this.apply(step.state, step.changed)
    await this.scheduleFlush()
    return step.result
  }

  /**
   * Lease mode: up to `want` tokens at once (bucket and quota debited now), capped by the lease
   * policy (src/rate-limit/lease.ts). Spend them within `ttlMs`; return the rest with `release`.
   */
  async lease(request: ConsumeRequest & { want: number }): Promise<LeaseGrant> {
    const { want, ...limits } = request
    const step = leaseStep(this.state, limits, want, this.now(), crypto.randomUUID())
    this.apply(step.state, step.changed)
    await this.scheduleFlush()
    return step.result
  }

  /** Returns `count` unused tokens of a live lease and settles it; answers how many were taken back. */
  async release(count: number, leaseId: string): Promise<{ returned: number }> {
    const step = releaseStep(this.state, leaseId, count, this.now())
    this.apply(step.state, step.changed)
    await this.scheduleFlush()
    return step.result
  }

  /**
   * Writes pending usage totals to D1 now (the alarm calls it too). Throws if D1 fails; the
   * totals stay pending. Flushes run one at a time.
   */
  async flushUsage(): Promise<{ written: number }> {
    const run = this.flushing.then(() => this.flushOnce())
    this.flushing = run.catch(() => undefined)
    return run
  }

  /** Periodic flush; on failure retried with exponential backoff (the alarm itself never throws). */
  override async alarm(): Promise<void> {
    this.alarmScheduled = false
    try {
      await this.flushUsage()
      this.flushFailures = 0
    } catch (error) {
      this.flushFailures += 1
      const delay = Math.min(MAX_FLUSH_BACKOFF_MS, FLUSH_INTERVAL_MS * 2 ** this.flushFailures)
      console.warn(
        JSON.stringify({
          event: 'usage_flush_failed',
          attempt: this.flushFailures,
          retryInMs: delay,
          reason: error instanceof Error ? error.message : 'unknown',
        })
      )
      await this.setAlarm(delay)
      return
    }
    await this.scheduleFlush()
  }

  private async flushOnce(): Promise<{ written: number }> {
    const now = this.now()
    const settled = settleExpired(this.state, now)
    this.apply(settled.state, settled.changed)
    const rows = pendingTotals(this.state.usage)
    if (rows.length === 0) return { written: 0 }
    await this.writer(this.env.DB, rows)
    // Re-read after the await: requests counted meanwhile stay pending.
    this.apply({ ...this.state, usage: markFlushed(this.state.usage, rows, utcDay(now)) }, true)
    return { written: rows.length }
  }

  private apply(state: LimiterState, changed: boolean): void {
    this.state = state
    if (changed) this.ctx.storage.kv.put(STATE_KEY, state)
  }

  /** An alarm while usage is pending or leases are out (their settlement is usage too). */
  private async scheduleFlush(): Promise<void> {
    if (this.alarmScheduled) return
    const pending = pendingTotals(this.state.usage).length > 0 || this.state.leases.length > 0
    if (pending) await this.setAlarm(FLUSH_INTERVAL_MS)
  }

  private async setAlarm(delayMs: number): Promise<void> {
    this.alarmScheduled = true
    await this.ctx.storage.setAlarm(Date.now() + delayMs)
  }
}
