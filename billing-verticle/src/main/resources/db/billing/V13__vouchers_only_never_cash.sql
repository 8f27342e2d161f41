-- A key that spends vouchers only is never charged to cash: not when a voucher its hold rests on expires or is
-- revoked before the request settles (V5's settle left that part to cash), nor for a charge past its hold.
-- The hold remembers whether cash may pay. Settling a hold cash may not pay charges each of its vouchers that
-- still lives, in the hold's order, up to its own part plus what nobody else holds on it; what they cannot pay is
-- waived: the usage row keeps the priced cost (priced_micros) and charges only what the vouchers paid
-- (cost_micros). A waiver is at most one request's price and is logged and counted by the billing verticle.
ALTER TABLE billing.holds ADD COLUMN cash_allowed boolean NOT NULL DEFAULT true;

-- billing.reserve, then on the hold this call placed: its own expiry when p_life_seconds is given (V8), and
-- whether cash may pay it. Both plain holds ($8 null) and video holds come through here now.
CREATE OR REPLACE FUNCTION billing.reserve_for(p_request text, p_account bigint, p_key bigint, p_model text,
                                               p_amount bigint, p_vouchers bigint[], p_cash boolean,
                                               p_life_seconds bigint)
  RETURNS TABLE (outcome text, hold_micros bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  SELECT * INTO r FROM billing.reserve(p_request, p_account, p_key, p_model, p_amount, p_vouchers, p_cash);
  IF r.outcome = 'held' AND (p_life_seconds IS NOT NULL OR NOT p_cash) THEN
    UPDATE billing.holds h
      SET expires_at = CASE WHEN p_life_seconds IS NULL THEN NULL
                            ELSE now() + p_life_seconds * interval '1 second' END,
          cash_allowed = p_cash
      WHERE h.request_id = p_request;
  END IF;
  RETURN QUERY SELECT r.outcome, r.hold_micros;
END $$;

-- V5's settle, but a hold cash may not pay never reaches cash (see the top of this file).
CREATE OR REPLACE FUNCTION billing.settle(p_request text, p_account bigint, p_key bigint, p_model text,
                                          p_channel text, p_input bigint, p_cache_read bigint, p_cache_write bigint,
                                          p_output bigint, p_reasoning bigint, p_cost bigint, p_outcome text,
                                          p_latency bigint, p_attempts int, p_error text)
  RETURNS TABLE (cost_micros bigint, held_micros bigint, balance_micros bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  v_due bigint := p_cost;
  v_total bigint;
  v_parts bigint := 0;
  v_take bigint;
  v_after bigint;
  v_balance bigint;
  v_cash boolean;
  v_waived bigint := 0;
  p record;
BEGIN
  PERFORM 1 FROM billing.balances b WHERE b.account_id = p_account FOR UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  SELECT h.cash_allowed INTO v_cash FROM billing.holds h WHERE h.request_id = p_request;
  v_cash := COALESCE(v_cash, true);
  FOR p IN SELECT hp.voucher_id, hp.amount_micros FROM billing.hold_parts hp
           WHERE hp.request_id = p_request ORDER BY hp.position
  LOOP
    v_parts := v_parts + p.amount_micros;
    -- A voucher pays only while it lives. With cash allowed it pays up to its part (cash pays the rest, an
    -- overrun included); without, also what is free on it beyond every hold, so no other request's hold shrinks.
    SELECT CASE WHEN x.closed_at IS NOT NULL OR (x.expires_at IS NOT NULL AND x.expires_at <= now()) THEN 0
                WHEN v_cash THEN LEAST(v_due, p.amount_micros, x.remaining_micros)
                ELSE LEAST(v_due, x.remaining_micros - x.held_micros + p.amount_micros) END
      INTO v_take FROM billing.vouchers x WHERE x.id = p.voucher_id FOR UPDATE;
    v_take := GREATEST(v_take, 0);
    UPDATE billing.vouchers x SET held_micros = x.held_micros - p.amount_micros,
                                  remaining_micros = x.remaining_micros - v_take
      WHERE x.id = p.voucher_id RETURNING x.remaining_micros INTO v_after;
    IF v_take > 0 THEN
      INSERT INTO billing.ledger (account_id, kind, amount_micros, balance_after_micros, request_id, voucher_id)
        VALUES (p_account, 'charge', -v_take, v_after, p_request, p.voucher_id);
      v_due := v_due - v_take;
    END IF;
  END LOOP;
  IF NOT v_cash THEN
    v_waived := v_due;
    v_due := 0;
  END IF;
  DELETE FROM billing.hold_parts hp WHERE hp.request_id = p_request;
  DELETE FROM billing.holds h WHERE h.request_id = p_request RETURNING h.amount_micros INTO v_total;
  IF NOT FOUND THEN
    v_total := 0;
  END IF;
  UPDATE billing.balances b SET balance_micros = b.balance_micros - v_due,
                                held_micros = b.held_micros - GREATEST(v_total - v_parts, 0),
                                updated_at = now()
    WHERE b.account_id = p_account RETURNING b.balance_micros INTO v_balance;
  IF v_due > 0 THEN
    INSERT INTO billing.ledger (account_id, kind, amount_micros, balance_after_micros, request_id)
      VALUES (p_account, 'charge', -v_due, v_balance, p_request);
  END IF;
  INSERT INTO billing.usage (request_id, account_id, key_id, model, channel, input_tokens, cache_read_tokens,
      cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, priced_micros, held_micros, outcome,
      latency_ms, attempts, error)
    VALUES (p_request, p_account, p_key, p_model, p_channel, p_input, p_cache_read, p_cache_write, p_output,
      p_reasoning, p_cost - v_waived, p_cost, v_total, p_outcome, p_latency, p_attempts, p_error);
  RETURN QUERY SELECT p_cost - v_waived, v_total, v_balance;
END $$;
