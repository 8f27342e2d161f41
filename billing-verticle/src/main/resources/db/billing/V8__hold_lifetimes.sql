-- A hold may outlive the request that placed it: a video job's lasts until the upstream finishes (minutes, an
-- hour), longer than the sweeper's age for a request's. Such a hold names when it may be swept; the others keep
-- the sweeper's maximum age.
ALTER TABLE billing.holds ADD COLUMN expires_at timestamptz;
CREATE INDEX holds_by_expiry ON billing.holds (expires_at) WHERE expires_at IS NOT NULL;

-- billing.reserve, then the hold's own expiry when p_life_seconds is given (and the hold is this call's).
CREATE FUNCTION billing.reserve_for(p_request text, p_account bigint, p_key bigint, p_model text, p_amount bigint,
                                    p_vouchers bigint[], p_cash boolean, p_life_seconds bigint)
  RETURNS TABLE (outcome text, hold_micros bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  SELECT * INTO r FROM billing.reserve(p_request, p_account, p_key, p_model, p_amount, p_vouchers, p_cash);
  IF r.outcome = 'held' AND p_life_seconds IS NOT NULL THEN
    UPDATE billing.holds h SET expires_at = now() + p_life_seconds * interval '1 second'
      WHERE h.request_id = p_request;
  END IF;
  RETURN QUERY SELECT r.outcome, r.hold_micros;
END $$;

-- Holds past their own expiry, or without one older than the maximum age, released from every pot.
CREATE OR REPLACE FUNCTION billing.sweep_holds(p_max_age_seconds bigint) RETURNS TABLE (account_id bigint, total bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  h record;
BEGIN
  FOR h IN SELECT x.request_id, x.account_id FROM billing.holds x
           WHERE (x.expires_at IS NULL AND x.created_at < now() - p_max_age_seconds * interval '1 second')
              OR x.expires_at < now()
  LOOP
    account_id := h.account_id;
    total := billing.drop_hold(h.request_id);
    RETURN NEXT;
  END LOOP;
END $$;
