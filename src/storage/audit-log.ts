/**
 * The admin audit log (D1 table `admin_audit_log`, migrations/0001_admin_audit_log.sql): one row
 * per configuration write. Rows hold who, what and when only, never request bodies or secrets.
 */

export interface AuditEntry {
  /** ISO 8601 time of the write. */
  at: string
  /** Admin access key id, or "bearer". */
  principal: string
  /** AWS operation name, e.g. `CreateDeployment`. */
  action: string
  /** What was written, as an admin path, e.g. `/restapis/abc123defg/stages/prod`. */
  resource: string
  requestId: string
}

/** Appends one row. Throws when D1 fails; callers decide whether that is fatal. */
export async function appendAudit(db: D1Database, entry: AuditEntry): Promise<void> {
  await db
    .prepare(
      'INSERT INTO admin_audit_log (at, principal, action, resource, request_id) VALUES (?, ?, ?, ?, ?)'
    )
    .bind(entry.at, entry.principal, entry.action, entry.resource, entry.requestId)
    .run()
}

/** The most recent rows for one resource (newest first), for operators and tests. */
export async function auditForResource(
  db: D1Database,
  resource: string,
  limit = 50
): Promise<AuditEntry[]> {
  const rows = await db
    .prepare(
      'SELECT at, principal, action, resource, request_id FROM admin_audit_log WHERE resource = ? ORDER BY id DESC LIMIT ?'
    )
    .bind(resource, limit)
    .all<{ at: string; principal: string; action: string; resource: string; request_id: string }>()
  return rows.results.map((r) => ({
    at: r.at,
    principal: r.principal,
    action: r.action,
    resource: r.resource,
    requestId: r.request_id,
  }))
}
