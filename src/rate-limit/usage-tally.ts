/**
 * Per-day usage counted inside a RateLimiter object, pure. Each row holds the absolute total of
 * admitted requests for (plan, key, UTC day) and how much of it D1 is known to hold, so a flush
 * writes absolute totals (idempotent) and nothing is dropped before D1 has it.
 */

/** One (plan, key, day) total as written to D1's `usage` table. */
export interface UsageTotal {
  planId: string
  keyId: string
  /** UTC day, `YYYY-MM-DD`. */
  day: string
  used: number
}

/** A total plus the part a successful flush has written. */
export interface UsageTally extends UsageTotal {
  flushed: number
}

/** The rows with `count` more requests for (plan, key, day). */
export function addUsage(
  rows: readonly UsageTally[],
  usage: { planId: string; keyId: string },
  day: string,
  count: number
): UsageTally[] {
  if (count <= 0) return [...rows]
  const at = rows.findIndex(
    (row) => row.planId === usage.planId && row.keyId === usage.keyId && row.day === day
  )
  const row = rows[at]
  if (!row)
    return [...rows, { planId: usage.planId, keyId: usage.keyId, day, used: count, flushed: 0 }]
  const next = [...rows]
  next[at] = { ...row, used: row.used + count }
  return next
}

/** Totals D1 does not hold yet. */
export function pendingTotals(rows: readonly UsageTally[]): UsageTotal[] {
  return rows
    .filter((row) => row.used > row.flushed)
    .map(({ planId, keyId, day, used }) => ({ planId, keyId, day, used }))
}

/**
 * The rows after `written` reached D1. Totals counted while the flush was in flight stay pending;
 * rows of past days that D1 holds in full are dropped (their totals never change again).
 */
export function markFlushed(
  rows: readonly UsageTally[],
  written: readonly UsageTotal[],
  today: string
): UsageTally[] {
  return rows
    .map((row) => {
      const done = written.find(
        (w) => w.planId === row.planId && w.keyId === row.keyId && w.day === row.day
      )
      return done ? { ...row, flushed: Math.max(row.flushed, done.used) } : row
    })
    .filter((row) => row.day >= today || row.used > row.flushed)
}
