-- Vouchers as pots in the credit-lease scheme (V10). An account with live vouchers is no longer held per request:
-- a router asks which pot pays a model first (billing.lease_pot: the same order as billing.reserve, V5), and takes a
-- lease on that pot: on a voucher, one hold resting wholly on it (one hold_parts row), or on cash. Such "pot leases"
-- have ids starting 'lease:pot:' (billing checks the prefix when it takes one), and are settled one request at a time
-- inside one statement per batch by billing.settle_pot_leased_batch. Only holds cash may pay are placed on pot leases
-- (a key spending vouchers only is still held per request), so a request's cost beyond what its voucher pays, as
-- for a per-request hold, is charged to cash.

-- Which pot pays p_model first on the account: 'voucher' (voucher_id), 'cash', or 'expiring' (the first voucher
-- ends within p_life seconds, too soon for a lease on it: hold per request).
CREATE FUNCTION billing.lease_pot(p_account bigint, p_model text, p_life bigint)
  RETURNS TABLE (outcome text, voucher_id bigint)
  LANGUAGE plpgsql STABLE AS $$
DECLARE
  v record;
BEGIN
  SELECT x.id, x.expires_at INTO v FROM billing.vouchers x
    WHERE x.account_id = p_account AND x.closed_at IS NULL AND (x.expires_at IS NULL OR x.expires_at > now())
      AND x.remaining_micros - x.held_micros > 0 AND p_model LIKE ANY (x.like_patterns)
    ORDER BY x.expires_at NULLS LAST, x.id
    LIMIT 1;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'cash'::text, NULL::bigint;
  ELSIF v.expires_at IS NOT NULL AND v.expires_at <= now() + p_life * interval '1 second' THEN
    RETURN QUERY SELECT 'expiring'::text, v.id;
  ELSE
    RETURN QUERY SELECT 'voucher'::text, v.id;
  END IF;
END $$;

-- Takes or grows (p_grow) a pot lease: on voucher p_voucher, at most a quarter of what is free on it; on cash
-- (p_voucher null), at most a quarter of free cash. outcome as take_lease (V10), and 'gone' also for a voucher
-- that is not the account's, is closed, or ends within the lease's life.
CREATE FUNCTION billing.take_pot_lease(p_lease text, p_account bigint, p_voucher bigint, p_amount bigint,
                                       p_min bigint, p_life bigint, p_grow boolean)
  RETURNS TABLE (outcome text, granted_micros bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  v_free bigint;
  v_voucher_free bigint;
  v_grant bigint;
BEGIN
  -- Lock order everywhere: the balance row, then the vouchers, then the holds.
  SELECT b.balance_micros - b.held_micros INTO v_free FROM billing.balances b
    WHERE b.account_id = p_account FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'edge'::text, 0::bigint;
    RETURN;
  END IF;
  IF p_grow AND NOT EXISTS (SELECT 1 FROM billing.holds h WHERE h.request_id = p_lease AND h.account_id = p_account)
  THEN
    RETURN QUERY SELECT 'gone'::text, 0::bigint;
    RETURN;
  END IF;
  -- A lease rests on one pot for its whole life.
  IF EXISTS (SELECT 1 FROM billing.hold_parts hp WHERE hp.request_id = p_lease
             AND (p_voucher IS NULL OR hp.voucher_id <> p_voucher))
     OR EXISTS (SELECT 1 FROM billing.holds h WHERE h.request_id = p_lease AND h.account_id <> p_account) THEN
    RETURN QUERY SELECT 'gone'::text, 0::bigint;
    RETURN;
  END IF;
  IF v_free < 0 THEN
    RETURN QUERY SELECT 'debt'::text, 0::bigint;
    RETURN;
  END IF;
  IF p_voucher IS NULL THEN
    v_grant := LEAST(p_amount, v_free / 4);
  ELSE
    SELECT x.remaining_micros - x.held_micros INTO v_voucher_free FROM billing.vouchers x
      WHERE x.id = p_voucher AND x.account_id = p_account AND x.closed_at IS NULL
        AND (x.expires_at IS NULL OR x.expires_at > now() + p_life * interval '1 second')
      FOR UPDATE;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'gone'::text, 0::bigint;
      RETURN;
    END IF;
    v_grant := LEAST(p_amount, v_voucher_free / 4);
  END IF;
  IF v_grant < p_min OR v_grant <= 0 THEN
    RETURN QUERY SELECT 'edge'::text, 0::bigint;
    RETURN;
  END IF;
  INSERT INTO billing.holds (request_id, account_id, key_id, amount_micros, expires_at)
    VALUES (p_lease, p_account, 0, v_grant, now() + p_life * interval '1 second')
    ON CONFLICT (request_id) DO UPDATE
      SET amount_micros = billing.holds.amount_micros + EXCLUDED.amount_micros, expires_at = EXCLUDED.expires_at;
  IF p_voucher IS NULL THEN
    UPDATE billing.balances SET held_micros = held_micros + v_grant, updated_at = now() WHERE account_id = p_account;
  ELSE
    INSERT INTO billing.hold_parts (request_id, voucher_id, amount_micros, position)
      VALUES (p_lease, p_voucher, v_grant, 1)
      ON CONFLICT (request_id, voucher_id) DO UPDATE
        SET amount_micros = billing.hold_parts.amount_micros + EXCLUDED.amount_micros;
    UPDATE billing.vouchers SET held_micros = held_micros + v_grant WHERE id = p_voucher;
  END IF;
  RETURN QUERY SELECT 'granted'::text, v_grant;
END $$;

-- V10's return_lease, for a lease on a voucher too: what is given back leaves the voucher's held amount.
CREATE OR REPLACE FUNCTION billing.return_lease(p_lease text, p_amount bigint) RETURNS bigint
  LANGUAGE plpgsql AS $$
DECLARE
  v_account bigint;
  v_amount bigint;
  v_back bigint;
  v_part record;
BEGIN
  IF p_amount IS NULL THEN
    RETURN billing.drop_hold(p_lease);
  END IF;
  SELECT h.account_id INTO v_account FROM billing.holds h WHERE h.request_id = p_lease;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  PERFORM 1 FROM billing.balances b WHERE b.account_id = v_account FOR UPDATE;
  SELECT hp.voucher_id, hp.amount_micros INTO v_part FROM billing.hold_parts hp WHERE hp.request_id = p_lease;
  IF FOUND THEN
    PERFORM 1 FROM billing.vouchers x WHERE x.id = v_part.voucher_id FOR UPDATE;
  END IF;
  SELECT h.amount_micros INTO v_amount FROM billing.holds h WHERE h.request_id = p_lease FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  v_back := LEAST(v_amount, GREATEST(p_amount, 0));
  UPDATE billing.holds h SET amount_micros = h.amount_micros - v_back WHERE h.request_id = p_lease;
  IF v_part.voucher_id IS NULL THEN
    UPDATE billing.balances b SET held_micros = b.held_micros - v_back, updated_at = now()
      WHERE b.account_id = v_account;
  ELSE
    v_back := LEAST(v_back, v_part.amount_micros);
    IF v_part.amount_micros = v_back THEN
      DELETE FROM billing.hold_parts hp WHERE hp.request_id = p_lease;
    ELSE
      UPDATE billing.hold_parts hp SET amount_micros = hp.amount_micros - v_back WHERE hp.request_id = p_lease;
    END IF;
    UPDATE billing.vouchers x SET held_micros = x.held_micros - v_back WHERE x.id = v_part.voucher_id;
  END IF;
  RETURN v_back;
END $$;

-- V10's renew_leases, but a lease on a voucher that has closed or ends within p_life is not renewed (its router
-- stops placing holds on it; it is swept at its expiry, before the voucher ends).
CREATE OR REPLACE FUNCTION billing.renew_leases(p_leases text[], p_life bigint) RETURNS TABLE (lease text)
  LANGUAGE sql AS $$
  UPDATE billing.holds h SET expires_at = now() + p_life * interval '1 second'
    WHERE h.request_id = ANY (p_leases)
      AND NOT EXISTS (SELECT 1 FROM billing.hold_parts hp JOIN billing.vouchers x ON x.id = hp.voucher_id
                      WHERE hp.request_id = h.request_id
                        AND (x.closed_at IS NOT NULL OR x.expires_at <= now() + p_life * interval '1 second'))
    RETURNING h.request_id
$$;

-- Settles against pot leases in groups: one statement per batch, the requests in turn. The parameters and the answer
-- are settle_leased_batch's (V12). A request on a voucher lease is charged from the voucher up to its hold while the
-- voucher lives (V5's rule for a hold's part), the rest from cash; one on a cash pot lease as in V12. Exactly once
-- comes from the usage key: a request recorded before is skipped, charged nothing, and answers settled=false.
CREATE FUNCTION billing.settle_pot_leased_batch(p_request text[], p_account bigint[], p_key bigint[], p_model text[],
                                                p_channel text[], p_input bigint[], p_cache_read bigint[],
                                                p_cache_write bigint[], p_output bigint[], p_reasoning bigint[],
                                                p_cost bigint[], p_outcome text[], p_latency bigint[],
                                                p_attempts int[], p_error text[], p_upstream_cost bigint[],
                                                p_lease text[], p_held bigint[])
  RETURNS TABLE (item bigint, cost_micros bigint, held_micros bigint, balance_micros bigint, settled boolean)
  LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_due bigint;
  v_take bigint;
  v_after bigint;
  v_balance bigint;
  v_cash_take bigint;
  v_part record;
  v_lease_amount bigint;
BEGIN
  -- The lock order everywhere: account rows (in account order, as every batch takes them), vouchers, then holds.
  PERFORM 1 FROM billing.balances b WHERE b.account_id = ANY (p_account) ORDER BY b.account_id FOR UPDATE;
  PERFORM 1 FROM billing.vouchers x
    WHERE x.id IN (SELECT hp.voucher_id FROM billing.hold_parts hp WHERE hp.request_id = ANY (p_lease))
    ORDER BY x.id FOR UPDATE;
  PERFORM 1 FROM billing.holds h WHERE h.request_id = ANY (p_lease) ORDER BY h.request_id FOR UPDATE;
  FOR i IN 1 .. coalesce(array_length(p_request, 1), 0) LOOP
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM billing.balances b WHERE b.account_id = p_account[i]);
    INSERT INTO billing.usage (request_id, account_id, key_id, model, channel, input_tokens, cache_read_tokens,
        cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, priced_micros, held_micros, outcome,
        latency_ms, attempts, error, upstream_cost_micros)
      VALUES (p_request[i], p_account[i], p_key[i], p_model[i], p_channel[i], p_input[i], p_cache_read[i],
              p_cache_write[i], p_output[i], p_reasoning[i], p_cost[i], p_cost[i], p_held[i], p_outcome[i],
              p_latency[i], p_attempts[i], p_error[i], p_upstream_cost[i])
      ON CONFLICT ON CONSTRAINT usage_pkey DO NOTHING;
    IF NOT FOUND THEN
      RETURN QUERY SELECT i::bigint, p_cost[i], p_held[i], NULL::bigint, false;
      CONTINUE;
    END IF;
    v_due := p_cost[i];
    v_cash_take := 0;
    SELECT h.amount_micros INTO v_lease_amount FROM billing.holds h
      WHERE h.request_id = p_lease[i] AND h.account_id = p_account[i];
    v_lease_amount := COALESCE(v_lease_amount, 0);
    SELECT hp.voucher_id, hp.amount_micros INTO v_part FROM billing.hold_parts hp
      WHERE hp.request_id = p_lease[i] AND v_lease_amount > 0;
    IF v_part.voucher_id IS NOT NULL THEN
      SELECT CASE WHEN x.closed_at IS NULL AND (x.expires_at IS NULL OR x.expires_at > now())
                  THEN LEAST(v_due, GREATEST(p_held[i], 0), v_part.amount_micros, x.remaining_micros) ELSE 0 END
        INTO v_take FROM billing.vouchers x WHERE x.id = v_part.voucher_id;
      IF v_take > 0 THEN
        UPDATE billing.vouchers x SET remaining_micros = x.remaining_micros - v_take,
                                      held_micros = x.held_micros - v_take
          WHERE x.id = v_part.voucher_id RETURNING x.remaining_micros INTO v_after;
        IF v_part.amount_micros = v_take THEN
          DELETE FROM billing.hold_parts hp WHERE hp.request_id = p_lease[i];
        ELSE
          UPDATE billing.hold_parts hp SET amount_micros = hp.amount_micros - v_take WHERE hp.request_id = p_lease[i];
        END IF;
        UPDATE billing.holds h SET amount_micros = h.amount_micros - v_take WHERE h.request_id = p_lease[i];
        INSERT INTO billing.ledger (account_id, kind, amount_micros, balance_after_micros, request_id, voucher_id)
          VALUES (p_account[i], 'charge', -v_take, v_after, p_request[i], v_part.voucher_id);
        v_due := v_due - v_take;
      END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM billing.hold_parts hp WHERE hp.request_id = p_lease[i]) THEN
      -- a lease on cash: the charge consumes as much of it, as in V12
      v_cash_take := LEAST(v_due, v_lease_amount);
      IF v_cash_take > 0 THEN
        UPDATE billing.holds h SET amount_micros = h.amount_micros - v_cash_take WHERE h.request_id = p_lease[i];
      END IF;
    END IF;
    UPDATE billing.balances b SET balance_micros = b.balance_micros - v_due,
                                  held_micros = b.held_micros - v_cash_take, updated_at = now()
      WHERE b.account_id = p_account[i] RETURNING b.balance_micros INTO v_balance;
    IF v_due > 0 THEN
      INSERT INTO billing.ledger (account_id, kind, amount_micros, balance_after_micros, request_id)
        VALUES (p_account[i], 'charge', -v_due, v_balance, p_request[i]);
    END IF;
    RETURN QUERY SELECT i::bigint, p_cost[i], p_held[i], v_balance, true;
  END LOOP;
END $$;
