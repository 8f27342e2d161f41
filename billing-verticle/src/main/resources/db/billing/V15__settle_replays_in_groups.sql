-- A settle of a request already recorded answers as a replay instead of failing on the ledger's unique key.
-- billing.settle (V13, and V11's wrapper) writes the charge before the usage row and relies on the unique keys to
-- abort a replay: right for exactly once, but in a group commit the abort fails the whole group, which is then redone
-- one settle at a time. Under a backlog, the router's retries race their originals (in another billing instance's
-- group) and every such race redid a group, so the backlog grew. Here the account row is locked first (every settle
-- of the account queues on it, as billing.settle does), then the usage row is looked for: a settle that waited for
-- another transaction's commit sees that transaction's usage row (each statement of a volatile function takes a new
-- snapshot), and answers settled=false with what that request was charged and the balance now. The unique keys
-- still stand behind it (a request id reused on another account still aborts).
CREATE FUNCTION billing.settle_unless_recorded(p_request text, p_account bigint, p_key bigint, p_model text,
                                               p_channel text, p_input bigint, p_cache_read bigint,
                                               p_cache_write bigint, p_output bigint, p_reasoning bigint,
                                               p_cost bigint, p_outcome text, p_latency bigint, p_attempts int,
                                               p_error text, p_upstream_cost bigint)
  RETURNS TABLE (cost_micros bigint, held_micros bigint, balance_micros bigint, settled boolean)
  LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_balance bigint;
BEGIN
  SELECT b.balance_micros INTO v_balance FROM billing.balances b WHERE b.account_id = p_account FOR UPDATE;
  IF NOT FOUND THEN
    RETURN; -- no balance row: as billing.settle, the caller creates it and settles again
  END IF;
  IF EXISTS (SELECT 1 FROM billing.usage u WHERE u.request_id = p_request) THEN
    RETURN QUERY SELECT u.cost_micros, u.held_micros, v_balance, false
      FROM billing.usage u WHERE u.request_id = p_request;
    RETURN;
  END IF;
  RETURN QUERY SELECT s.cost_micros, s.held_micros, s.balance_micros, true
    FROM billing.settle(p_request, p_account, p_key, p_model, p_channel, p_input, p_cache_read, p_cache_write,
                        p_output, p_reasoning, p_cost, p_outcome, p_latency, p_attempts, p_error, p_upstream_cost) s;
END $$;

-- V14's renew_leases, taking its lease rows in request id order first, the order every settle group takes holds in
-- (after its account rows, which renewing never locks): an UPDATE alone locks rows in whatever order it scans them,
-- and two lease rows locked in opposite orders by a renewal and a settle group deadlock (Postgres then kills one).
CREATE OR REPLACE FUNCTION billing.renew_leases(p_leases text[], p_life bigint) RETURNS TABLE (lease text)
  LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  PERFORM 1 FROM billing.holds h WHERE h.request_id = ANY (p_leases) ORDER BY h.request_id FOR UPDATE;
  RETURN QUERY
  UPDATE billing.holds h SET expires_at = now() + p_life * interval '1 second'
    WHERE h.request_id = ANY (p_leases)
      AND NOT EXISTS (SELECT 1 FROM billing.hold_parts hp JOIN billing.vouchers x ON x.id = hp.voucher_id
                      WHERE hp.request_id = h.request_id
                        AND (x.closed_at IS NOT NULL OR x.expires_at <= now() + p_life * interval '1 second'))
    RETURNING h.request_id;
END $$;
