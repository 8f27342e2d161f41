-- A key's own spend (GET /v1/me) reads its rows without scanning its whole account's month.
-- Built concurrently: the usage table keeps taking settles while the index is made.
CREATE INDEX CONCURRENTLY IF NOT EXISTS usage_by_key ON billing.usage (key_id, created_at DESC);
