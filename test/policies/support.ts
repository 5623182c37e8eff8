/**
 * Keys and usage plans written straight into D1 (columns of migrations/0002), as an operator
 * with `wrangler d1 execute` could, and small helpers for enforcement tests.
 */
import { env } from 'cloudflare:workers'
import { hashApiKey } from '../../src/api-keys/hash'
import type { IntegrationConfig, RouteConfig } from '../../src/config/types'
import { limiterStub, planKeyObjectName } from '../../src/rate-limit/limiter-client'
import type { QuotaSettings, ThrottleSettings } from '../../src/rate-limit/types'
import type { UsagePlanApiStage } from '../../src/storage/usage-plan-types'
import { upstream } from '../support/seed'

const NOW = '2026-01-01T00:00:00.000Z'

export interface PlanInput {
  throttle?: ThrottleSettings
  quota?: QuotaSettings
  apiStages: UsagePlanApiStage[]
  tags?: Record<string, string>
}

/** A usage plan row; returns its id. */
export async function insertPlan(plan: PlanInput): Promise<string> {
  const id = `plan${crypto.randomUUID().slice(0, 8)}`
  await env.DB.prepare(
    `INSERT INTO usage_plans (id, name, throttle, quota, api_stages, tags, created_date,
     last_updated_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
  )
    .bind(
      id,
      `test ${id}`,
      plan.throttle === undefined ? null : JSON.stringify(plan.throttle),
      plan.quota === undefined ? null : JSON.stringify(plan.quota),
      JSON.stringify(plan.apiStages),
      plan.tags === undefined ? null : JSON.stringify(plan.tags),
      NOW,
      NOW
    )
    .run()
  return id
}

/** A key row (only its hash is stored) linked to `planIds`; returns its id and value. */
export async function insertKey(
  planIds: readonly string[] = [],
  enabled = true
): Promise<{ id: string; value: string }> {
  const id = `key${crypto.randomUUID().slice(0, 8)}`
  const value = `ptk_test_${crypto.randomUUID().replaceAll('-', '')}`
  await env.DB.prepare(
    `INSERT INTO api_keys (id, key_hash, value_prefix, name, enabled, created_date,
     last_updated_date) VALUES (?, ?, ?, ?, ?, ?, ?)`
  )
    .bind(id, await hashApiKey(value), value.slice(0, 8), `test ${id}`, enabled ? 1 : 0, NOW, NOW)
    .run()
  for (const planId of planIds) {
    await env.DB.prepare('INSERT INTO usage_plan_keys (usage_plan_id, key_id) VALUES (?, ?)')
      .bind(planId, id)
      .run()
  }
  return { id, value }
}

/** A keyed HTTP_PROXY route to the loopback upstream's echo endpoint. */
export function keyedRoute(id: string, routeKey: string, apiKeyRequired = true): RouteConfig {
  return { id, routeKey, integrationId: 'echo', apiKeyRequired }
}

export const ECHO: IntegrationConfig = {
  id: 'echo',
  type: 'HTTP_PROXY',
  integrationUri: upstream('/echo/x'),
}

/** Requests the upstream saw carrying `x-test-tag: tag`. */
export async function hits(tag: string): Promise<number> {
  const res = await fetch(upstream(`/hits/${tag}`))
  const body: { hits: number } = await res.json()
  return body.hits
}

/** Flushes the (plan, key) object's usage and reads the D1 total for that pair. */
export async function flushedUsage(planId: string, keyId: string): Promise<number> {
  await limiterStub(env, planKeyObjectName(planId, keyId)).flushUsage()
  const row = await env.DB.prepare(
    'SELECT SUM(used) AS used FROM usage WHERE usage_plan_id = ? AND key_id = ?'
  )
    .bind(planId, keyId)
    .first<{ used: number | null }>()
  return row?.used ?? 0
}

/** Status counts of a batch of responses. */
export function statuses(responses: readonly Response[]): Record<number, number> {
  const counts: Record<number, number> = {}
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1
  return counts
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let ipCounter = 0
/** A client IP of its own per call (the brute-force brake is per IP and per isolate). */
export function freshIp(): string {
  ipCounter++
  return `2001:db8::${ipCounter.toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`
}
