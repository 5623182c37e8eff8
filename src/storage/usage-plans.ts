/**
 * Usage plans and plan↔key links in D1 (tables `usage_plans`, `usage_plan_keys`,
 * migrations/0002). JSON columns are parsed with guards (api-keys/stored-json.ts); a corrupt row
 * throws, so enforcement fails closed instead of running without a limit.
 */
import { parseApiStages, parseOptional, toQuota, toTags, toThrottle } from '../api-keys/stored-json'
import type { Result } from '../result'
import { KEY_COLUMNS, keyFromRow, type KeyRow } from '../api-keys/key-row'
import type { ApiKeyRecord, UsagePlanRecord } from './usage-plan-types'

/** Column list of `usage_plans`; `alias` prefixes each output name (for joins). */
export function planColumns(table: string, alias = ''): string {
  const cols = ['id', 'name', 'description', 'throttle', 'quota', 'api_stages', 'tags']
  cols.push('created_date', 'last_updated_date')
  return cols.map((c) => `${table}.${c} AS ${alias}${c}`).join(', ')
}

/**
 * One page of an id-ordered query run with `LIMIT limit + 1`: the first `limit` rows mapped,
 * and `position` (the last id) when the extra row shows that more follow.
 */
export function pageById<R, T extends { id: string }>(
  results: readonly R[],
  limit: number,
  map: (row: R) => T
): { items: T[]; position?: string } {
  const items = results.slice(0, limit).map(map)
  const last = items[items.length - 1]
  return results.length > limit && last !== undefined ? { items, position: last.id } : { items }
}

/** A `usage_plans` row as selected by `planColumns`. */
export interface PlanRow {
  id: string
  name: string
  description: string | null
  throttle: string | null
  quota: string | null
  api_stages: string
  tags: string | null
  created_date: string
  last_updated_date: string
}

function unwrap<T>(result: Result<T, string>, planId: string): T {
  if (!result.ok) throw new Error(`usage plan ${planId}: stored ${result.error}`)
  return result.value
}

/** A row as a record; throws on a corrupt JSON column. */
export function planFromRow(row: PlanRow): UsagePlanRecord {
  const throttle = unwrap(parseOptional(row.throttle, 'throttle', toThrottle), row.id)
  const quota = unwrap(parseOptional(row.quota, 'quota', toQuota), row.id)
  const tags = unwrap(parseOptional(row.tags, 'tags', toTags), row.id)
  const plan: UsagePlanRecord = {
    id: row.id,
    name: row.name,
    apiStages: unwrap(parseApiStages(row.api_stages), row.id),
    createdDate: row.created_date,
    lastUpdatedDate: row.last_updated_date,
  }
  if (row.description !== null) plan.description = row.description
  if (throttle !== undefined) plan.throttle = throttle
  if (quota !== undefined) plan.quota = quota
  if (tags !== undefined) plan.tags = tags
  return plan
}

function planArgs(plan: UsagePlanRecord): (string | null)[] {
  return [
    plan.name,
    plan.description ?? null,
    plan.throttle === undefined ? null : JSON.stringify(plan.throttle),
    plan.quota === undefined ? null : JSON.stringify(plan.quota),
    JSON.stringify(plan.apiStages),
    plan.tags === undefined ? null : JSON.stringify(plan.tags),
  ]
}

/** Inserts a plan (ids are random: a collision is a thrown D1 error). */
export async function createPlan(db: D1Database, plan: UsagePlanRecord): Promise<void> {
  await db
    .prepare(
      `INSERT INTO usage_plans (id, name, description, throttle, quota, api_stages, tags,
        created_date, last_updated_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    .bind(plan.id, ...planArgs(plan), plan.createdDate, plan.lastUpdatedDate)
    .run()
}

/** One plan by id, or null. */
export async function getPlan(db: D1Database, id: string): Promise<UsagePlanRecord | null> {
  const row = await db
    .prepare(`SELECT ${planColumns('p')} FROM usage_plans p WHERE p.id = ?`)
    .bind(id)
    .first<PlanRow>()
  return row === null ? null : planFromRow(row)
}

/** A page of plans ordered by id (optionally only those holding `keyId`, AWS GetUsagePlans). */
export async function listPlans(
  db: D1Database,
  options: { after?: string; limit: number; keyId?: string }
): Promise<{ items: UsagePlanRecord[]; position?: string }> {
  const { results } = await db
    .prepare(
      `SELECT ${planColumns('p')} FROM usage_plans p
       WHERE (?1 IS NULL OR p.id > ?1)
         AND (?2 IS NULL OR EXISTS (SELECT 1 FROM usage_plan_keys pk
                                    WHERE pk.usage_plan_id = p.id AND pk.key_id = ?2))
       ORDER BY p.id LIMIT ?3`
    )
    .bind(options.after ?? null, options.keyId ?? null, options.limit + 1)
    .all<PlanRow>()
  return pageById(results, options.limit, planFromRow)
}

/**
 * Some key of plan ?1 is also in another plan that covers an API stage listed in the JSON array
 * ?2 — the AWS rule "a key cannot be in two plans for the same API stage". Written as SQL so the
 * check and the write are one statement (D1 runs statements one at a time: no race).
 */
const STAGE_CLASH_FOR_PLAN = `EXISTS (
  SELECT 1 FROM usage_plan_keys mine
  JOIN usage_plan_keys other ON other.key_id = mine.key_id AND other.usage_plan_id <> mine.usage_plan_id
  JOIN usage_plans op ON op.id = other.usage_plan_id, json_each(op.api_stages) s, json_each(?2) t
  WHERE mine.usage_plan_id = ?1
    AND json_extract(s.value, '$.apiId') = json_extract(t.value, '$.apiId')
    AND json_extract(s.value, '$.stage') = json_extract(t.value, '$.stage'))`

export type PlanUpdateOutcome = 'UPDATED' | 'NOT_FOUND' | 'STAGE_CONFLICT'

/** Replaces a plan's fields, refusing apiStages that would put one of its keys twice on a stage. */
export async function updatePlan(
  db: D1Database,
  plan: UsagePlanRecord
): Promise<PlanUpdateOutcome> {
  const [name, description, throttle, quota, stages, tags] = planArgs(plan)
  const result = await db
    .prepare(
      `UPDATE usage_plans SET name = ?3, description = ?4, throttle = ?5, quota = ?6,
        api_stages = ?2, tags = ?7, last_updated_date = ?8
       WHERE id = ?1 AND NOT ${STAGE_CLASH_FOR_PLAN}`
    )
    .bind(plan.id, stages, name, description, throttle, quota, tags, plan.lastUpdatedDate)
    .run()
  if (result.meta.changes === 1) return 'UPDATED'
  return (await getPlan(db, plan.id)) === null ? 'NOT_FOUND' : 'STAGE_CONFLICT'
}

/** Deletes a plan and its key links (usage rows stay as history). False when no such plan. */
export async function deletePlan(db: D1Database, id: string): Promise<boolean> {
  const [, deleted] = await db.batch([
    db.prepare('DELETE FROM usage_plan_keys WHERE usage_plan_id = ?').bind(id),
    db.prepare('DELETE FROM usage_plans WHERE id = ?').bind(id),
  ])
  return deleted !== undefined && deleted.meta.changes === 1
}

export type AddKeyOutcome =
  'ADDED' | 'PLAN_NOT_FOUND' | 'KEY_NOT_FOUND' | 'ALREADY_IN_PLAN' | 'STAGE_CONFLICT'

/**
 * Links a key to a plan unless the key is already in another plan covering one of this plan's
 * API stages (AWS rule). Check and insert are one statement; on refusal, reads tell why.
 */
export async function addKeyToPlan(
  db: D1Database,
  planId: string,
  keyId: string
): Promise<AddKeyOutcome> {
  const result = await db
    .prepare(
      `INSERT OR IGNORE INTO usage_plan_keys (usage_plan_id, key_id)
       SELECT ?1, ?2 FROM usage_plans target
       WHERE target.id = ?1 AND EXISTS (SELECT 1 FROM api_keys WHERE id = ?2)
         AND NOT EXISTS (
           SELECT 1 FROM usage_plan_keys other JOIN usage_plans op ON op.id = other.usage_plan_id,
             json_each(op.api_stages) s, json_each(target.api_stages) t
           WHERE other.key_id = ?2 AND other.usage_plan_id <> ?1
             AND json_extract(s.value, '$.apiId') = json_extract(t.value, '$.apiId')
             AND json_extract(s.value, '$.stage') = json_extract(t.value, '$.stage'))`
    )
    .bind(planId, keyId)
    .run()
  if (result.meta.changes === 1) return 'ADDED'
  const [plan, key, link] = await db.batch<{ n: number }>([
    db.prepare('SELECT COUNT(*) AS n FROM usage_plans WHERE id = ?').bind(planId),
    db.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE id = ?').bind(keyId),
    db
      .prepare('SELECT COUNT(*) AS n FROM usage_plan_keys WHERE usage_plan_id = ? AND key_id = ?')
      .bind(planId, keyId),
  ])
  if (plan?.results[0]?.n !== 1) return 'PLAN_NOT_FOUND'
  if (key?.results[0]?.n !== 1) return 'KEY_NOT_FOUND'
  return link?.results[0]?.n === 1 ? 'ALREADY_IN_PLAN' : 'STAGE_CONFLICT'
}

/** Unlinks a key from a plan. False when the key was not in the plan. */
export async function removeKeyFromPlan(
  db: D1Database,
  planId: string,
  keyId: string
): Promise<boolean> {
  const result = await db
    .prepare('DELETE FROM usage_plan_keys WHERE usage_plan_id = ? AND key_id = ?')
    .bind(planId, keyId)
    .run()
  return result.meta.changes === 1
}

/** A page of the plan's keys ordered by id (AWS GetUsagePlanKeys, `nameQuery` as prefix). */
export async function listPlanKeys(
  db: D1Database,
  planId: string,
  options: { after?: string; limit: number; nameQuery?: string }
): Promise<{ items: ApiKeyRecord[]; position?: string }> {
  const { results } = await db
    .prepare(
      `SELECT ${KEY_COLUMNS} FROM usage_plan_keys pk JOIN api_keys k ON k.id = pk.key_id
       WHERE pk.usage_plan_id = ?1 AND (?2 IS NULL OR k.id > ?2)
         AND (?3 IS NULL OR substr(k.name, 1, length(?3)) = ?3)
       ORDER BY k.id LIMIT ?4`
    )
    .bind(planId, options.after ?? null, options.nameQuery ?? null, options.limit + 1)
    .all<KeyRow>()
  return pageById(results, options.limit, keyFromRow)
}

/** The key `keyId` if it is in plan `planId`, else null (AWS GetUsagePlanKey). */
export async function getPlanKey(
  db: D1Database,
  planId: string,
  keyId: string
): Promise<ApiKeyRecord | null> {
  const row = await db
    .prepare(
      `SELECT ${KEY_COLUMNS} FROM usage_plan_keys pk JOIN api_keys k ON k.id = pk.key_id
       WHERE pk.usage_plan_id = ? AND pk.key_id = ?`
    )
    .bind(planId, keyId)
    .first<KeyRow>()
  return row === null ? null : keyFromRow(row)
}
