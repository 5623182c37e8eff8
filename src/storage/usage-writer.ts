/**
 * Writes per-day usage totals from a RateLimiter object to D1's `usage` table (migrations/0002).
 * Totals are absolute and merged with MAX, all rows in one `db.batch` (one transaction): a flush
 * that fails and is retried, or that runs twice, neither loses nor doubles anything.
 */
import type { UsageTotal } from '../rate-limit/usage-tally'

/** Writes usage totals; the RateLimiter takes one so tests can make it fail. */
export type UsageWriter = (db: D1Database, rows: readonly UsageTotal[]) => Promise<void>

const UPSERT =
  'INSERT INTO usage (usage_plan_id, key_id, day, used) VALUES (?1, ?2, ?3, ?4) ' +
  'ON CONFLICT (usage_plan_id, key_id, day) DO UPDATE SET used = MAX(used, excluded.used)'

/**
 * Upserts absolute totals. One writer per (plan, key) — its object — so MAX never hides a newer
 * count: totals only grow.
 */
export const writeUsage: UsageWriter = async (db, rows) => {
  if (rows.length === 0) return
  const statement = db.prepare(UPSERT)
  await db.batch(rows.map((row) => statement.bind(row.planId, row.keyId, row.day, row.used)))
}
