-- Settles against credit leases in groups: ONE statement per batch, however many requests and accounts it holds.
-- Each account row and each lease row is updated once per batch (not once per request), the usage and ledger rows
-- go in as multi-row inserts. Exactly once comes from the usage key as before: a request already recorded (a
-- replay, or the same request twice in one batch) is skipped and charged nothing; its row answers settled=false.
-- It answers a row per request whose account has a balance row, by its position (1-based) in the arrays.
-- The arrays are the parameters of billing.settle (V5, with the upstream cost of V11), then the lease each hold was
-- placed against and that hold,
-- one element per request.
CREATE FUNCTION billing.settle_leased_batch(p_request text[], p_account bigint[], p_key bigint[], p_model text[],
                                            p_channel text[], p_input bigint[], p_cache_read bigint[],
                                            p_cache_write bigint[], p_output bigint[], p_reasoning bigint[],
                                            p_cost bigint[], p_outcome text[], p_latency bigint[], p_attempts int[],
                                            p_error text[], p_upstream_cost bigint[], p_lease text[], p_held bigint[])
  RETURNS TABLE (item bigint, cost_micros bigint, held_micros bigint, balance_micros bigint, settled boolean)
  LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  -- The lock order everywhere: account rows (here in account order, as every batch takes them), then holds.
  PERFORM 1 FROM billing.balances b WHERE b.account_id = ANY (p_account) ORDER BY b.account_id FOR UPDATE;
  PERFORM 1 FROM billing.holds h WHERE h.request_id = ANY (p_lease) ORDER BY h.request_id FOR UPDATE;
  RETURN QUERY
  WITH input AS (
    SELECT DISTINCT ON (t.req) t.*
    FROM unnest(p_request, p_account, p_key, p_model, p_channel, p_input, p_cache_read, p_cache_write, p_output,
                p_reasoning, p_cost, p_outcome, p_latency, p_attempts, p_error, p_upstream_cost, p_lease, p_held)
      WITH ORDINALITY
      AS t(req, account, key, model, channel, inp, cache_read, cache_write, outp, reasoning, cost, outcome, latency,
           attempts, error, upstream_cost, lease, held, ord)
    WHERE EXISTS (SELECT 1 FROM billing.balances b WHERE b.account_id = t.account)
    ORDER BY t.req, t.ord
  ), fresh AS (
    INSERT INTO billing.usage (request_id, account_id, key_id, model, channel, input_tokens, cache_read_tokens,
        cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, priced_micros, held_micros, outcome,
        latency_ms, attempts, error, upstream_cost_micros)
    SELECT i.req, i.account, i.key, i.model, i.channel, i.inp, i.cache_read, i.cache_write, i.outp, i.reasoning,
           i.cost, i.cost, i.held, i.outcome, i.latency, i.attempts, i.error, i.upstream_cost
    FROM input i ORDER BY i.ord
    ON CONFLICT ON CONSTRAINT usage_pkey DO NOTHING
    RETURNING billing.usage.request_id AS req
  ), charged AS (
    SELECT i.* FROM input i JOIN fresh f ON f.req = i.req
  ), takes AS (
    -- per request in turn each would take LEAST(its cost, what is left); in all that is LEAST(their sum, the lease)
    SELECT h.request_id AS lease, h.account_id AS account, LEAST(c.cost, h.amount_micros) AS take
    FROM (SELECT charged.lease, charged.account, sum(charged.cost)::bigint AS cost FROM charged
          WHERE charged.lease IS NOT NULL GROUP BY charged.lease, charged.account) c
    JOIN billing.holds h ON h.request_id = c.lease AND h.account_id = c.account
  ), leases_after AS (
    UPDATE billing.holds h SET amount_micros = h.amount_micros - t.take FROM takes t
    WHERE h.request_id = t.lease AND t.take > 0
    RETURNING h.request_id
  ), per_account AS (
    SELECT c.account, sum(c.cost)::bigint AS cost,
           COALESCE((SELECT sum(t.take) FROM takes t WHERE t.account = c.account), 0)::bigint AS take
    FROM charged c GROUP BY c.account
  ), balances_after AS (
    UPDATE billing.balances b SET balance_micros = b.balance_micros - pa.cost, held_micros = b.held_micros - pa.take,
                                  updated_at = now()
    FROM per_account pa WHERE b.account_id = pa.account
    RETURNING b.account_id AS account, b.balance_micros + pa.cost AS before
  ), running AS (
    SELECT c.req, c.ord, c.account, c.cost, c.held,
           (ba.before - sum(c.cost) OVER (PARTITION BY c.account ORDER BY c.ord))::bigint AS after
    FROM charged c JOIN balances_after ba ON ba.account = c.account
  ), ledger AS (
    INSERT INTO billing.ledger (account_id, kind, amount_micros, balance_after_micros, request_id)
    SELECT r.account, 'charge', -r.cost, r.after, r.req FROM running r WHERE r.cost > 0
  )
  SELECT t.ord, t.cost, t.held, r.after, r.req IS NOT NULL
  FROM unnest(p_request, p_account, p_cost, p_held) WITH ORDINALITY AS t(req, account, cost, held, ord)
  LEFT JOIN running r ON r.req = t.req AND r.ord = t.ord
  WHERE EXISTS (SELECT 1 FROM billing.balances b WHERE b.account_id = t.account)
  ORDER BY t.ord;
END $$;
