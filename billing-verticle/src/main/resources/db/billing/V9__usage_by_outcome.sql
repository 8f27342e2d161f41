-- The usage page filtered by outcome (GET /api/usage?outcome=failed) walks only the matching rows of the
-- account, newest first, instead of every row of the account until enough match.
-- Built concurrently: the usage table keeps taking settles while the index is made.
CREATE INDEX CONCURRENTLY IF NOT EXISTS usage_by_outcome ON billing.usage (account_id, outcome, created_at DESC);
-- The usage page filtered by model, and the dashboard's media page (the image models' rows), likewise.
CREATE INDEX CONCURRENTLY IF NOT EXISTS usage_by_model ON billing.usage (account_id, model, created_at DESC);
