-- API keys (hashes only), usage plans, plan↔key links and per-day usage. docs/storage-schema.md.

-- A key is stored only as SHA-256(key) in hex; `value_prefix` (the public prefix + 4 characters)
-- lets an operator recognise a key without being able to use it.
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  key_hash TEXT NOT NULL UNIQUE,
  value_prefix TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  customer_id TEXT,
  tags TEXT,
  created_date TEXT NOT NULL,
  last_updated_date TEXT NOT NULL
);

-- `throttle`, `quota` and `api_stages` are JSON (shapes in src/storage/usage-plan-types.ts).
CREATE TABLE IF NOT EXISTS usage_plans (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  throttle TEXT,
  quota TEXT,
  api_stages TEXT NOT NULL DEFAULT '[]',
  tags TEXT,
  created_date TEXT NOT NULL,
  last_updated_date TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS usage_plan_keys (
  usage_plan_id TEXT NOT NULL REFERENCES usage_plans (id) ON DELETE CASCADE,
  key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  PRIMARY KEY (usage_plan_id, key_id)
);
CREATE INDEX IF NOT EXISTS usage_plan_keys_key ON usage_plan_keys (key_id);

-- Admitted requests per (plan, key, UTC day). Written by the RateLimiter object as absolute
-- totals (idempotent upserts: a retried flush neither loses nor doubles anything).
CREATE TABLE IF NOT EXISTS usage (
  usage_plan_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  day TEXT NOT NULL,
  used INTEGER NOT NULL,
  PRIMARY KEY (usage_plan_id, key_id, day)
);
