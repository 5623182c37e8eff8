-- Admin plane audit log: one row per configuration write (who, what, when). Never holds secrets
-- or request bodies; `principal` is the admin access key id or "bearer".
CREATE TABLE IF NOT EXISTS admin_audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  principal TEXT NOT NULL,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  request_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS admin_audit_log_resource ON admin_audit_log (resource, at);
