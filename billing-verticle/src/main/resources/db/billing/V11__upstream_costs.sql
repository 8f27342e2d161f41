-- What each request cost the operator upstream, at its route's cost price (micro-credits); null when
-- unknown (the route names no cost price): the operator's reports count those rows as uncosted.
-- No CHECK: validating it would scan the whole table under an exclusive lock; billing refuses a negative one.
ALTER TABLE billing.usage ADD COLUMN upstream_cost_micros bigint;

-- settle and release with the upstream cost as a 16th parameter: each runs the 15-parameter function
-- unchanged (so a change to the ledger's logic stays in one place) and writes the cost on the usage row
-- it wrote, in the same statement's transaction.
CREATE FUNCTION billing.settle(p_request text, p_account bigint, p_key bigint, p_model text, p_channel text,
                               p_input bigint, p_cache_read bigint, p_cache_write bigint, p_output bigint,
                               p_reasoning bigint, p_cost bigint, p_outcome text, p_latency bigint, p_attempts int,
                               p_error text, p_upstream_cost bigint)
  RETURNS TABLE (cost_micros bigint, held_micros bigint, balance_micros bigint)
  LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY SELECT s.cost_micros, s.held_micros, s.balance_micros
    FROM billing.settle(p_request, p_account, p_key, p_model, p_channel, p_input, p_cache_read, p_cache_write,
                        p_output, p_reasoning, p_cost, p_outcome, p_latency, p_attempts, p_error) s;
  -- No row: no balance row yet, and no usage row either (the caller settles again).
  IF FOUND AND p_upstream_cost IS NOT NULL THEN
    UPDATE billing.usage u SET upstream_cost_micros = p_upstream_cost WHERE u.request_id = p_request;
  END IF;
END $$;

-- A release of a request already recorded changes nothing, its upstream cost included.
CREATE FUNCTION billing.release(p_request text, p_account bigint, p_key bigint, p_model text, p_channel text,
                                p_input bigint, p_cache_read bigint, p_cache_write bigint, p_output bigint,
                                p_reasoning bigint, p_cost bigint, p_outcome text, p_latency bigint, p_attempts int,
                                p_error text, p_upstream_cost bigint)
  RETURNS TABLE (released_micros bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  v_recorded boolean := EXISTS (SELECT 1 FROM billing.usage u WHERE u.request_id = p_request);
BEGIN
  RETURN QUERY SELECT r.released_micros
    FROM billing.release(p_request, p_account, p_key, p_model, p_channel, p_input, p_cache_read, p_cache_write,
                         p_output, p_reasoning, p_cost, p_outcome, p_latency, p_attempts, p_error) r;
  IF NOT v_recorded AND p_upstream_cost IS NOT NULL THEN
    UPDATE billing.usage u SET upstream_cost_micros = p_upstream_cost
      WHERE u.request_id = p_request AND u.upstream_cost_micros IS NULL;
  END IF;
END $$;
