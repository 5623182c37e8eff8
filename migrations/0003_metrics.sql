-- Per-minute metric counters per (API, stage), e.g. CacheHitCount / CacheMissCount.
-- Written by src/observability/metrics.ts in batches that ADD to the stored value (each isolate
-- flushes its own increments). `minute` is UTC `YYYY-MM-DDTHH:MM`. docs/caching.md (Metrics).
CREATE TABLE IF NOT EXISTS metrics (
  api_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  metric TEXT NOT NULL,
  minute TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (api_id, stage, metric, minute)
);
