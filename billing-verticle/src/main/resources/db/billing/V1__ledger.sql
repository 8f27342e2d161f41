-- One row per account: the balance of record and the sum of its open holds.
-- held <= balance always, so a balance can never go below what it has promised.
CREATE TABLE billing.balances (
  account_id     bigint      PRIMARY KEY,
  balance_micros bigint      NOT NULL DEFAULT 0 CHECK (balance_micros >= 0),
  held_micros    bigint      NOT NULL DEFAULT 0 CHECK (held_micros >= 0),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (held_micros <= balance_micros)
);

-- Every change to a balance, written in the same statement as the change.
CREATE TABLE billing.ledger (
  id                   bigserial   PRIMARY KEY,
  account_id           bigint      NOT NULL,
  kind                 text        NOT NULL CHECK (kind IN ('topup', 'charge')),
  amount_micros        bigint      NOT NULL,  -- + for a top-up, - for a charge
  balance_after_micros bigint      NOT NULL,
  request_id           text,
  idempotency_key      text,
  note                 text,
  created_at           timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX ledger_one_charge_per_request ON billing.ledger (request_id) WHERE kind = 'charge';
CREATE UNIQUE INDEX ledger_one_topup_per_key ON billing.ledger (account_id, idempotency_key)
  WHERE kind = 'topup' AND idempotency_key IS NOT NULL;
CREATE INDEX ledger_by_account ON billing.ledger (account_id, id);
