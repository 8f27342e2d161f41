-- Redemption codes, created in named batches. Each code is stored only as the SHA-256 of its
-- normalised text; a redemption is one row and one ledger movement (cash, or a voucher granted).
CREATE TABLE billing.code_batches (
  id                      bigserial   PRIMARY KEY,
  name                    text        NOT NULL,
  credits_micros          bigint      NOT NULL CHECK (credits_micros > 0),
  voucher_models          text[],                 -- set: each redemption grants a voucher for these aliases
  voucher_like_patterns   text[],
  voucher_valid_days      int         CHECK (voucher_valid_days > 0),
  codes_expire_at         timestamptz,
  redemptions_per_code    int         NOT NULL DEFAULT 1 CHECK (redemptions_per_code > 0),
  redemptions_per_account int         NOT NULL DEFAULT 1 CHECK (redemptions_per_account > 0),
  code_count              int         NOT NULL,
  disabled_at             timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  CHECK ((voucher_models IS NULL) = (voucher_like_patterns IS NULL))
);

CREATE TABLE billing.codes (
  id          bigserial PRIMARY KEY,
  batch_id    bigint    NOT NULL REFERENCES billing.code_batches (id),
  code_sha256 bytea     NOT NULL UNIQUE,
  hint        text      NOT NULL,               -- the last characters, to recognise a code in reports
  remaining   int       NOT NULL CHECK (remaining >= 0)
);
CREATE INDEX codes_by_batch ON billing.codes (batch_id);

CREATE TABLE billing.redemptions (
  id            bigserial   PRIMARY KEY,
  code_id       bigint      NOT NULL REFERENCES billing.codes (id),
  batch_id      bigint      NOT NULL,
  account_id    bigint      NOT NULL,
  amount_micros bigint      NOT NULL,
  voucher_id    bigint,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX redemptions_by_batch ON billing.redemptions (batch_id, account_id);
CREATE INDEX redemptions_by_account ON billing.redemptions (account_id, created_at DESC);

ALTER TABLE billing.ledger ADD COLUMN redemption_id bigint;

-- Redeems a code for an account, exactly once per unit of the code's allowance, in one statement.
-- The account's balance row is locked first (the lock order of every money movement), so one
-- account's concurrent redemptions of a batch are counted one after the other; the code's row
-- lock makes a single-use code go to exactly one of many accounts racing for it.
-- outcome: redeemed | unknown | disabled | expired | used | account_limit
CREATE FUNCTION billing.redeem(p_code_sha256 bytea, p_account bigint)
  RETURNS TABLE (outcome text, redemption_id bigint, amount_micros bigint, voucher_id bigint, batch_name text)
  LANGUAGE plpgsql AS $$
DECLARE
  c record;
  v_voucher bigint;
  v_redemption bigint;
  v_balance bigint;
BEGIN
  INSERT INTO billing.balances (account_id) VALUES (p_account) ON CONFLICT (account_id) DO NOTHING;
  PERFORM 1 FROM billing.balances b WHERE b.account_id = p_account FOR UPDATE;
  SELECT k.id, k.remaining, b.id AS batch_id, b.name, b.credits_micros, b.voucher_models, b.voucher_like_patterns,
         b.voucher_valid_days, b.codes_expire_at, b.redemptions_per_account, b.disabled_at
    INTO c
    FROM billing.codes k JOIN billing.code_batches b ON b.id = k.batch_id
    WHERE k.code_sha256 = p_code_sha256
    FOR UPDATE OF k;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown'::text, NULL::bigint, 0::bigint, NULL::bigint, NULL::text;
    RETURN;
  END IF;
  IF c.disabled_at IS NOT NULL THEN
    RETURN QUERY SELECT 'disabled'::text, NULL::bigint, 0::bigint, NULL::bigint, c.name;
    RETURN;
  END IF;
  IF c.codes_expire_at IS NOT NULL AND c.codes_expire_at <= now() THEN
    RETURN QUERY SELECT 'expired'::text, NULL::bigint, 0::bigint, NULL::bigint, c.name;
    RETURN;
  END IF;
  IF c.remaining <= 0 THEN
    RETURN QUERY SELECT 'used'::text, NULL::bigint, 0::bigint, NULL::bigint, c.name;
    RETURN;
  END IF;
  IF (SELECT count(*) FROM billing.redemptions r WHERE r.batch_id = c.batch_id AND r.account_id = p_account)
      >= c.redemptions_per_account THEN
    RETURN QUERY SELECT 'account_limit'::text, NULL::bigint, 0::bigint, NULL::bigint, c.name;
    RETURN;
  END IF;
  UPDATE billing.codes k SET remaining = k.remaining - 1 WHERE k.id = c.id;
  INSERT INTO billing.redemptions (code_id, batch_id, account_id, amount_micros)
    VALUES (c.id, c.batch_id, p_account, c.credits_micros) RETURNING id INTO v_redemption;
  IF c.voucher_models IS NOT NULL THEN
    INSERT INTO billing.vouchers (account_id, models, like_patterns, granted_micros, remaining_micros, expires_at,
        source, note)
      VALUES (p_account, c.voucher_models, c.voucher_like_patterns, c.credits_micros, c.credits_micros,
        CASE WHEN c.voucher_valid_days IS NULL THEN NULL ELSE now() + c.voucher_valid_days * interval '1 day' END,
        'redemption', 'code batch ' || c.name)
      RETURNING id INTO v_voucher;
    UPDATE billing.redemptions r SET voucher_id = v_voucher WHERE r.id = v_redemption;
    INSERT INTO billing.ledger (account_id, kind, amount_micros, balance_after_micros, voucher_id, redemption_id, note)
      VALUES (p_account, 'voucher_grant', c.credits_micros, c.credits_micros, v_voucher, v_redemption,
        'redemption, batch ' || c.name);
  ELSE
    UPDATE billing.balances b SET balance_micros = b.balance_micros + c.credits_micros, updated_at = now()
      WHERE b.account_id = p_account RETURNING b.balance_micros INTO v_balance;
    INSERT INTO billing.ledger (account_id, kind, amount_micros, balance_after_micros, redemption_id, note)
      VALUES (p_account, 'redemption', c.credits_micros, v_balance, v_redemption, 'batch ' || c.name);
  END IF;
  RETURN QUERY SELECT 'redeemed'::text, v_redemption, c.credits_micros, v_voucher, c.name;
END $$;
