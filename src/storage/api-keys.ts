/**
 * API keys in D1 (table `api_keys`, migrations/0002): the only module with SQL for keys. A key is
 * stored as its SHA-256 hash plus a short public prefix (docs/api-keys.md); the value itself is
 * never written anywhere.
 */
import { pageById, planColumns, planFromRow, type PlanRow } from './usage-plans'
import type { ApiKeyRecord, KeyLookupResult, UsagePlanRecord } from './usage-plan-types'
import { KEY_COLUMNS, keyFromRow, type KeyRow } from '../api-keys/key-row'

type JoinedRow = KeyRow & { [K in keyof PlanRow as `p_${K}`]: PlanRow[K] | null }

function planOf(row: JoinedRow): UsagePlanRecord | null {
  const { p_id, p_name, p_api_stages, p_created_date, p_last_updated_date } = row
  if (p_id === null || p_name === null || p_api_stages === null) return null
  return planFromRow({
    id: p_id,
    name: p_name,
    description: row.p_description,
    throttle: row.p_throttle,
    quota: row.p_quota,
    api_stages: p_api_stages,
    tags: row.p_tags,
    created_date: p_created_date ?? '',
    last_updated_date: p_last_updated_date ?? '',
  })
}

/**
 * The key whose hash is `hash`, with every usage plan it belongs to, in one D1 round trip (a left
 * join: one row per plan, or one row with NULL plan columns). Null when no key has this hash.
 * Throws when D1 fails or a stored row is corrupt — the caller fails closed.
 */
export async function findKeyByHash(db: D1Database, hash: string): Promise<KeyLookupResult | null> {
  const { results } = await db
    .prepare(
      `SELECT ${KEY_COLUMNS}, ${planColumns('p', 'p_')} FROM api_keys k
       LEFT JOIN usage_plan_keys pk ON pk.key_id = k.id
       LEFT JOIN usage_plans p ON p.id = pk.usage_plan_id
       WHERE k.key_hash = ? ORDER BY p.id`
    )
    .bind(hash)
    .all<JoinedRow>()
  const first = results[0]
  if (first === undefined) return null
  const plans: UsagePlanRecord[] = []
  for (const row of results) {
    const plan = planOf(row)
    if (plan !== null) plans.push(plan)
  }
  return { key: keyFromRow(first), plans }
}

/** What `createKey` stores: the record plus the value's hash (never the value). */
export interface NewKey {
  record: ApiKeyRecord
  keyHash: string
}

/**
 * Inserts a key. False when a key with the same hash (or id) exists — AWS answers a duplicate
 * value with ConflictException; the unique index decides, so concurrent creates cannot both win.
 */
export async function createKey(db: D1Database, { record, keyHash }: NewKey): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT OR IGNORE INTO api_keys (id, key_hash, value_prefix, name, description, enabled,
        customer_id, tags, created_date, last_updated_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    .bind(
      record.id,
      keyHash,
      record.valuePrefix,
      record.name,
      record.description ?? null,
      record.enabled ? 1 : 0,
      record.customerId ?? null,
      record.tags === undefined ? null : JSON.stringify(record.tags),
      record.createdDate,
      record.lastUpdatedDate
    )
    .run()
  return result.meta.changes === 1
}

/** One key by id, or null. */
export async function getKey(db: D1Database, id: string): Promise<ApiKeyRecord | null> {
  const row = await db
    .prepare(`SELECT ${KEY_COLUMNS} FROM api_keys k WHERE k.id = ?`)
    .bind(id)
    .first<KeyRow>()
  return row === null ? null : keyFromRow(row)
}

export interface KeyListOptions {
  /** Exclusive lower bound on the id (the previous page's `position`). */
  after?: string
  limit: number
  /** AWS `nameQuery`: name starts with this (case-sensitive prefix, as AWS). */
  nameQuery?: string
  customerId?: string
}

/** A page of keys ordered by id; `position` is set when more follow. */
export async function listKeys(
  db: D1Database,
  options: KeyListOptions
): Promise<{ items: ApiKeyRecord[]; position?: string }> {
  const where: string[] = []
  const args: (string | number)[] = []
  if (options.after !== undefined) {
    where.push('k.id > ?')
    args.push(options.after)
  }
  if (options.nameQuery !== undefined) {
    // substr comparison, not LIKE: the query may contain % or _ and is compared literally.
    where.push('substr(k.name, 1, ?) = ?')
    args.push(options.nameQuery.length, options.nameQuery)
  }
  if (options.customerId !== undefined) {
    where.push('k.customer_id = ?')
    args.push(options.customerId)
  }
  const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`
  const { results } = await db
    .prepare(`SELECT ${KEY_COLUMNS} FROM api_keys k ${clause} ORDER BY k.id LIMIT ?`)
    .bind(...args, options.limit + 1)
    .all<KeyRow>()
  return pageById(results, options.limit, keyFromRow)
}

/** Replaces the mutable fields of a key (the record as patched by the caller). */
export async function updateKey(db: D1Database, record: ApiKeyRecord): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE api_keys SET name = ?, description = ?, enabled = ?, customer_id = ?, tags = ?,
        last_updated_date = ? WHERE id = ?`
    )
    .bind(
      record.name,
      record.description ?? null,
      record.enabled ? 1 : 0,
      record.customerId ?? null,
      record.tags === undefined ? null : JSON.stringify(record.tags),
      record.lastUpdatedDate,
      record.id
    )
    .run()
  return result.meta.changes === 1
}

/**
 * Deletes a key and its plan links in one batch (D1 does not enforce the schema's ON DELETE
 * CASCADE unless foreign keys are on, so the links are removed explicitly). Usage rows stay:
 * they are history. False when no such key.
 */
export async function deleteKey(db: D1Database, id: string): Promise<boolean> {
  const [, deleted] = await db.batch([
    db.prepare('DELETE FROM usage_plan_keys WHERE key_id = ?').bind(id),
    db.prepare('DELETE FROM api_keys WHERE id = ?').bind(id),
  ])
  return deleted !== undefined && deleted.meta.changes === 1
}
