/**
 * Reads the `usage` table (migrations/0002) for `GET /usageplans/{id}/usage`. Rows are written by
 * the RateLimiter object as absolute per-day totals, so what is read here is real time.
 */

/** One stored row: requests admitted for a key under a plan on a UTC day (`YYYY-MM-DD`). */
export interface UsageRow {
  keyId: string
  day: string
  used: number
}

export interface UsageQuery {
  planId: string
  /** Inclusive UTC days, `YYYY-MM-DD` (string order is date order). */
  fromDay: string
  toDay: string
  /** Only this key (AWS `keyId`). */
  keyId?: string
  /** Exclusive lower bound on key ids (the previous page's `position`). */
  after?: string
  /** Keys per page. */
  limit: number
}

/**
 * The keys to report — those in the plan now, plus those with usage in the range (a key removed
 * from the plan keeps its history) — one page ordered by id, and their rows in the range.
 */
export async function readUsage(
  db: D1Database,
  query: UsageQuery
): Promise<{ keyIds: string[]; rows: UsageRow[]; position?: string }> {
  const keys = await db
    .prepare(
      `SELECT key_id FROM (
         SELECT key_id FROM usage_plan_keys WHERE usage_plan_id = ?1
         UNION SELECT key_id FROM usage WHERE usage_plan_id = ?1 AND day BETWEEN ?2 AND ?3)
       WHERE (?4 IS NULL OR key_id = ?4) AND (?5 IS NULL OR key_id > ?5)
       ORDER BY key_id LIMIT ?6`
    )
    .bind(
      query.planId,
      query.fromDay,
      query.toDay,
      query.keyId ?? null,
      query.after ?? null,
      query.limit + 1
    )
    .all<{ key_id: string }>()
  const keyIds = keys.results.slice(0, query.limit).map((r) => r.key_id)
  const last = keyIds[keyIds.length - 1]
  const position = keys.results.length > query.limit ? last : undefined
  if (keyIds.length === 0) return { keyIds, rows: [] }
  const { results } = await db
    .prepare(
      `SELECT key_id, day, used FROM usage
       WHERE usage_plan_id = ? AND day BETWEEN ? AND ?
         AND key_id IN (SELECT value FROM json_each(?)) ORDER BY key_id, day`
    )
    .bind(query.planId, query.fromDay, query.toDay, JSON.stringify(keyIds))
    .all<{ key_id: string; day: string; used: number }>()
  const rows = results.map((r) => ({ keyId: r.key_id, day: r.day, used: r.used }))
  return position === undefined ? { keyIds, rows } : { keyIds, rows, position }
}
