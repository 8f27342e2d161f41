-- Credit leases: a router takes a slice of an account's free cash as ONE hold (request id 'lease:...', key 0,
-- with an expiry it renews) and places its requests' holds against it in memory. A request settled against a
-- lease is charged from the balance and consumes the same amount of the lease, so what is free stays exact;
-- a lease nobody renews is swept at its expiry like any hold, which returns what its dead router left unspent.
-- Settles against leases are billing.settle_leased_batch (V12).

-- Takes a lease, or grows one (p_grow): at most a quarter of what is free, never less than p_min.
-- outcome: granted (granted_micros added) | edge (less than p_min could be granted: hold per request) |
-- vouchers (the account has live vouchers: their pots are paid per request) | debt (in debt: 402 per request) |
-- gone (p_grow of a lease that is no longer there)
CREATE FUNCTION billing.take_lease(p_lease text, p_account bigint, p_amount bigint, p_min bigint, p_life bigint,
                                   p_grow boolean)
  RETURNS TABLE (outcome text, granted_micros bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  v_free bigint;
  v_grant bigint;
BEGIN
  SELECT b.balance_micros - b.held_micros INTO v_free FROM billing.balances b
    WHERE b.account_id = p_account FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'edge'::text, 0::bigint;
    RETURN;
  END IF;
  IF p_grow AND NOT EXISTS (SELECT 1 FROM billing.holds h WHERE h.request_id = p_lease) THEN
    RETURN QUERY SELECT 'gone'::text, 0::bigint;
    RETURN;
  END IF;
  IF v_free < 0 THEN
    RETURN QUERY SELECT 'debt'::text, 0::bigint;
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM billing.vouchers x WHERE x.account_id = p_account AND x.closed_at IS NULL
             AND (x.expires_at IS NULL OR x.expires_at > now())) THEN
    RETURN QUERY SELECT 'vouchers'::text, 0::bigint;
    RETURN;
  END IF;
  v_grant := LEAST(p_amount, v_free / 4);
  IF v_grant < p_min OR v_grant <= 0 THEN
    RETURN QUERY SELECT 'edge'::text, 0::bigint;
    RETURN;
  END IF;
  INSERT INTO billing.holds (request_id, account_id, key_id, amount_micros, expires_at)
    VALUES (p_lease, p_account, 0, v_grant, now() + p_life * interval '1 second')
    ON CONFLICT (request_id) DO UPDATE
      SET amount_micros = billing.holds.amount_micros + EXCLUDED.amount_micros, expires_at = EXCLUDED.expires_at;
  UPDATE billing.balances SET held_micros = held_micros + v_grant, updated_at = now() WHERE account_id = p_account;
  RETURN QUERY SELECT 'granted'::text, v_grant;
END $$;

-- Gives back p_amount of a lease (all of it, and the lease row, when p_amount is null). Returns what was given back.
CREATE FUNCTION billing.return_lease(p_lease text, p_amount bigint) RETURNS bigint
  LANGUAGE plpgsql AS $$
DECLARE
  v_account bigint;
  v_amount bigint;
  v_back bigint;
BEGIN
  IF p_amount IS NULL THEN
    RETURN billing.drop_hold(p_lease);
  END IF;
  SELECT h.account_id INTO v_account FROM billing.holds h WHERE h.request_id = p_lease;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  -- Lock order everywhere: the balance row, then the hold.
  PERFORM 1 FROM billing.balances b WHERE b.account_id = v_account FOR UPDATE;
  SELECT h.amount_micros INTO v_amount FROM billing.holds h WHERE h.request_id = p_lease FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  v_back := LEAST(v_amount, GREATEST(p_amount, 0));
  UPDATE billing.holds h SET amount_micros = h.amount_micros - v_back WHERE h.request_id = p_lease;
  UPDATE billing.balances b SET held_micros = b.held_micros - v_back, updated_at = now() WHERE b.account_id = v_account;
  RETURN v_back;
END $$;

-- Extends the expiry of the leases a live router still uses; returns the ones that are still there.
CREATE FUNCTION billing.renew_leases(p_leases text[], p_life bigint) RETURNS TABLE (lease text)
  LANGUAGE sql AS $$
  UPDATE billing.holds h SET expires_at = now() + p_life * interval '1 second'
    WHERE h.request_id = ANY (p_leases) RETURNING h.request_id
$$;
