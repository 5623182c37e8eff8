/**
 * Writes metric increments to D1's `metrics` table (migrations/0003). Each row adds to the
 * stored value (`value = value + excluded.value`); all rows of a flush go in one `db.batch`
 * (one transaction), so a failed flush writes nothing.
 */

export interface MetricIncrement {
  readonly apiId: string
  readonly stage: string
  readonly metric: string
  /** UTC `YYYY-MM-DDTHH:MM`. */
  readonly minute: string
  readonly value: number
}

export type MetricsWriter = (db: D1Database, rows: readonly MetricIncrement[]) => Promise<void>

const UPSERT =
  'INSERT INTO metrics (api_id, stage, metric, minute, value) VALUES (?1, ?2, ?3, ?4, ?5) ' +
  'ON CONFLICT (api_id, stage, metric, minute) DO UPDATE SET value = value + excluded.value'

export const addMetrics: MetricsWriter = async (db, rows) => {
  if (rows.length === 0) return
  const statement = db.prepare(UPSERT)
  await db.batch(rows.map((r) => statement.bind(r.apiId, r.stage, r.metric, r.minute, r.value)))
}
