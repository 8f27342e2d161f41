-- Vouchers: credit granted to an account for a whitelist of model aliases, optionally expiring.
-- An account's money is its cash balance plus its vouchers ("pots"); a request for model M is
-- held against, and charged from, the live vouchers matching M (soonest expiry first), then cash.
CREATE TABLE billing.vouchers (
  id               bigserial   PRIMARY KEY,
  account_id       bigint      NOT NULL,
  models           text[]      NOT NULL,            -- alias patterns as granted, '*' matching anything
  like_patterns    text[]      NOT NULL,            -- the same as LIKE patterns, for matching in SQL
  granted_micros   bigint      NOT NULL CHECK (granted_micros > 0),
  remaining_micros bigint      NOT NULL CHECK (remaining_micros >= 0),
  held_micros      bigint      NOT NULL DEFAULT 0 CHECK (held_micros >= 0),
  expires_at       timestamptz,
  closed_at        timestamptz,                     -- written off (expired or revoked): pays nothing more
  closed_reason    text        CHECK (closed_reason IN ('expired', 'revoked')),
  source           text        NOT NULL,            -- grant | redemption | signup
  note             text,
  idempotency_key  text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vouchers_live_by_account ON billing.vouchers (account_id) WHERE closed_at IS NULL;
CREATE INDEX vouchers_to_expire ON billing.vouchers (expires_at) WHERE closed_at IS NULL AND expires_at IS NOT NULL;
CREATE UNIQUE INDEX vouchers_one_grant_per_key ON billing.vouchers (account_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- The part of a hold that rests on each voucher, in the order it is charged. The cash part is
-- the hold's amount minus its voucher parts.
CREATE TABLE billing.hold_parts (
  request_id    text   NOT NULL,
  voucher_id    bigint NOT NULL,
  amount_micros bigint NOT NULL CHECK (amount_micros > 0),
  position      int    NOT NULL,
  PRIMARY KEY (request_id, voucher_id)
);

-- Every movement of every pot is a ledger row: voucher_id names the pot (null: cash), and
-- balance_after_micros is that pot's balance after it.
ALTER TABLE billing.ledger ADD COLUMN voucher_id bigint;
ALTER TABLE billing.ledger DROP CONSTRAINT ledger_kind_check;
ALTER TABLE billing.ledger ADD CONSTRAINT ledger_kind_check
  CHECK (kind IN ('topup', 'charge', 'voucher_grant', 'voucher_expiry', 'voucher_revoke', 'redemption'));
DROP INDEX billing.ledger_one_charge_per_request;
CREATE UNIQUE INDEX ledger_one_charge_per_request_and_pot ON billing.ledger (request_id, COALESCE(voucher_id, 0))
  WHERE kind = 'charge';

-- Places a hold of p_amount for model p_model on the account's pots: the live vouchers covering
-- the model (limited to p_vouchers when the key is bound to some), soonest expiry first, then cash
-- unless p_cash is false (a key that spends vouchers only). All or nothing.
-- outcome: held | existing (this request's hold, placed before) | finished (already settled or
-- released) | insufficient | uncovered (only vouchers not covering the model could pay more) |
-- not_allowed (the key spends only vouchers, and none of them covers the model)
CREATE FUNCTION billing.reserve(p_request text, p_account bigint, p_key bigint, p_model text, p_amount bigint,
                                p_vouchers bigint[], p_cash boolean)
  RETURNS TABLE (outcome text, hold_micros bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  v_cash_free bigint;
  v_need bigint := p_amount;
  v_ids bigint[] := '{}';
  v_takes bigint[] := '{}';
  v_take bigint;
  v_matching int := 0;
  v_other_free bigint := 0;
  v record;
BEGIN
  SELECT h.amount_micros INTO v_take FROM billing.holds h WHERE h.request_id = p_request;
  IF FOUND THEN
    RETURN QUERY SELECT 'existing'::text, v_take;
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM billing.usage u WHERE u.request_id = p_request) THEN
    RETURN QUERY SELECT 'finished'::text, 0::bigint;
    RETURN;
  END IF;
  -- Lock order everywhere: the balance row, then the vouchers, so concurrent requests never deadlock.
  SELECT b.balance_micros - b.held_micros INTO v_cash_free FROM billing.balances b
    WHERE b.account_id = p_account FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO billing.balances (account_id) VALUES (p_account) ON CONFLICT (account_id) DO NOTHING;
    SELECT b.balance_micros - b.held_micros INTO v_cash_free FROM billing.balances b
      WHERE b.account_id = p_account FOR UPDATE;
  END IF;
  -- An account in debt (a past overrun) pays nothing more, from any pot, until it is topped up.
  IF v_cash_free < 0 THEN
    RETURN QUERY SELECT 'insufficient'::text, 0::bigint;
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM billing.vouchers x WHERE x.account_id = p_account AND x.closed_at IS NULL) THEN
    FOR v IN SELECT x.id, x.remaining_micros - x.held_micros AS free,
                    p_model LIKE ANY (x.like_patterns) AS covers
             FROM billing.vouchers x
             WHERE x.account_id = p_account AND x.closed_at IS NULL AND (x.expires_at IS NULL OR x.expires_at > now())
               AND (p_vouchers IS NULL OR x.id = ANY (p_vouchers))
             ORDER BY x.expires_at NULLS LAST, x.id
             FOR UPDATE
    LOOP
      IF NOT v.covers THEN
        v_other_free := v_other_free + GREATEST(v.free, 0);
        CONTINUE;
      END IF;
      v_matching := v_matching + 1;
      v_take := LEAST(v_need, GREATEST(v.free, 0));
      IF v_take > 0 THEN
        v_ids := v_ids || v.id;
        v_takes := v_takes || v_take;
        v_need := v_need - v_take;
      END IF;
    END LOOP;
  END IF;
  IF NOT p_cash AND NOT EXISTS (
      SELECT 1 FROM billing.vouchers x WHERE x.account_id = p_account
        AND (p_vouchers IS NULL OR x.id = ANY (p_vouchers)) AND p_model LIKE ANY (x.like_patterns)) THEN
    RETURN QUERY SELECT 'not_allowed'::text, 0::bigint;
    RETURN;
  END IF;
  IF v_need > 0 AND (NOT p_cash OR v_cash_free < v_need) THEN
    RETURN QUERY SELECT (CASE WHEN v_other_free > 0 THEN 'uncovered' ELSE 'insufficient' END)::text, 0::bigint;
    RETURN;
  END IF;
  FOR i IN 1 .. coalesce(array_length(v_ids, 1), 0) LOOP
    UPDATE billing.vouchers SET held_micros = held_micros + v_takes[i] WHERE id = v_ids[i];
    INSERT INTO billing.hold_parts (request_id, voucher_id, amount_micros, position)
      VALUES (p_request, v_ids[i], v_takes[i], i);
  END LOOP;
  IF v_need > 0 THEN
    UPDATE billing.balances SET held_micros = held_micros + v_need, updated_at = now() WHERE account_id = p_account;
  END IF;
  INSERT INTO billing.holds (request_id, account_id, key_id, amount_micros) VALUES (p_request, p_account, p_key, p_amount);
  RETURN QUERY SELECT 'held'::text, p_amount;
END $$;

-- Drops a request's hold from every pot it rests on. Returns the hold's total (0 when none).
CREATE FUNCTION billing.drop_hold(p_request text) RETURNS bigint
  LANGUAGE plpgsql AS $$
DECLARE
  v_account bigint;
  v_total bigint;
  v_parts bigint;
BEGIN
  SELECT h.account_id INTO v_account FROM billing.holds h WHERE h.request_id = p_request;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  PERFORM 1 FROM billing.balances b WHERE b.account_id = v_account FOR UPDATE;
  DELETE FROM billing.holds h WHERE h.request_id = p_request RETURNING h.amount_micros INTO v_total;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  WITH parts AS (
    DELETE FROM billing.hold_parts hp WHERE hp.request_id = p_request RETURNING hp.voucher_id, hp.amount_micros
  ), unheld AS (
    UPDATE billing.vouchers x SET held_micros = x.held_micros - parts.amount_micros
    FROM parts WHERE x.id = parts.voucher_id RETURNING parts.amount_micros
  )
  SELECT COALESCE(sum(unheld.amount_micros), 0) INTO v_parts FROM unheld;
  IF v_total > v_parts THEN
    UPDATE billing.balances b SET held_micros = b.held_micros - (v_total - v_parts), updated_at = now()
      WHERE b.account_id = v_account;
  END IF;
  RETURN v_total;
END $$;

-- Charges a request once: from the vouchers its hold rests on (in the hold's order, each up to
-- its part, while the voucher is live), the rest from cash, even past the hold (an overrun is
-- debt on cash, never silently free). Writes a ledger row per pot and the usage row; a second
-- settle of the same request violates a unique key and changes nothing. Returns no row when the
-- account has no balance row yet (the caller creates it and settles again).
CREATE FUNCTION billing.settle(p_request text, p_account bigint, p_key bigint, p_model text, p_channel text,
                               p_input bigint, p_cache_read bigint, p_cache_write bigint, p_output bigint,
                               p_reasoning bigint, p_cost bigint, p_outcome text, p_latency bigint, p_attempts int,
                               p_error text)
  RETURNS TABLE (cost_micros bigint, held_micros bigint, balance_micros bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  v_due bigint := p_cost;
  v_total bigint;
  v_parts bigint := 0;
  v_take bigint;
  v_after bigint;
  v_balance bigint;
  p record;
BEGIN
  PERFORM 1 FROM billing.balances b WHERE b.account_id = p_account FOR UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  FOR p IN SELECT hp.voucher_id, hp.amount_micros FROM billing.hold_parts hp
           WHERE hp.request_id = p_request ORDER BY hp.position
  LOOP
    v_parts := v_parts + p.amount_micros;
    -- A voucher pays only while it lives: one that expired or was revoked meanwhile leaves its part to cash.
    SELECT CASE WHEN x.closed_at IS NULL AND (x.expires_at IS NULL OR x.expires_at > now())
                THEN LEAST(v_due, p.amount_micros, x.remaining_micros) ELSE 0 END
      INTO v_take FROM billing.vouchers x WHERE x.id = p.voucher_id FOR UPDATE;
    UPDATE billing.vouchers x SET held_micros = x.held_micros - p.amount_micros,
                                  remaining_micros = x.remaining_micros - v_take
      WHERE x.id = p.voucher_id RETURNING x.remaining_micros INTO v_after;
    IF v_take > 0 THEN
      INSERT INTO billing.ledger (account_id, kind, amount_micros, balance_after_micros, request_id, voucher_id)
        VALUES (p_account, 'charge', -v_take, v_after, p_request, p.voucher_id);
      v_due := v_due - v_take;
    END IF;
  END LOOP;
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
      p_reasoning, p_cost, p_cost, v_total, p_outcome, p_latency, p_attempts, p_error);
  RETURN QUERY SELECT p_cost, v_total, v_balance;
END $$;

-- A failed request: drops its hold from every pot and records it once, free.
CREATE FUNCTION billing.release(p_request text, p_account bigint, p_key bigint, p_model text, p_channel text,
                                p_input bigint, p_cache_read bigint, p_cache_write bigint, p_output bigint,
                                p_reasoning bigint, p_cost bigint, p_outcome text, p_latency bigint, p_attempts int,
                                p_error text)
  RETURNS TABLE (released_micros bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  v_total bigint := billing.drop_hold(p_request);
BEGIN
  INSERT INTO billing.usage (request_id, account_id, key_id, model, channel, input_tokens, cache_read_tokens,
      cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, priced_micros, held_micros, outcome,
      latency_ms, attempts, error)
    VALUES (p_request, p_account, p_key, p_model, p_channel, p_input, p_cache_read, p_cache_write, p_output,
      p_reasoning, 0, p_cost, v_total, p_outcome, p_latency, p_attempts, p_error)
    ON CONFLICT (request_id) DO NOTHING;
  RETURN QUERY SELECT v_total;
END $$;

-- Holds older than the maximum age, released from every pot; one row per released hold.
CREATE FUNCTION billing.sweep_holds(p_max_age_seconds bigint) RETURNS TABLE (account_id bigint, total bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  h record;
BEGIN
  FOR h IN SELECT x.request_id, x.account_id FROM billing.holds x
           WHERE x.created_at < now() - p_max_age_seconds * interval '1 second'
  LOOP
    account_id := h.account_id;
    total := billing.drop_hold(h.request_id);
    RETURN NEXT;
  END LOOP;
END $$;

-- Writes a voucher off: it pays nothing more, and what was left of it leaves the account in the
-- ledger. Holds resting on it are charged to cash when they settle. Idempotent.
CREATE FUNCTION billing.close_voucher(p_voucher bigint, p_reason text) RETURNS bigint
  LANGUAGE plpgsql AS $$
DECLARE
  v_account bigint;
  v_left bigint;
BEGIN
  SELECT x.account_id INTO v_account FROM billing.vouchers x WHERE x.id = p_voucher;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM billing.balances b WHERE b.account_id = v_account FOR UPDATE;
  SELECT x.remaining_micros INTO v_left FROM billing.vouchers x WHERE x.id = p_voucher AND x.closed_at IS NULL
    FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  UPDATE billing.vouchers x SET closed_at = now(), closed_reason = p_reason, remaining_micros = 0
    WHERE x.id = p_voucher;
  IF v_left > 0 THEN
    INSERT INTO billing.ledger (account_id, kind, amount_micros, balance_after_micros, voucher_id, note)
      VALUES (v_account, 'voucher_' || CASE p_reason WHEN 'expired' THEN 'expiry' ELSE 'revoke' END, -v_left, 0,
              p_voucher, p_reason);
  END IF;
  RETURN v_left;
END $$;
