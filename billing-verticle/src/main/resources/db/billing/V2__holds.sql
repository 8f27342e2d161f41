-- Credits set aside for a request in flight: its maximum cost, until settle or release.
CREATE TABLE billing.holds (
  request_id    text        PRIMARY KEY,
  account_id    bigint      NOT NULL,
  key_id        bigint      NOT NULL,
  amount_micros bigint      NOT NULL CHECK (amount_micros >= 0),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX holds_by_age ON billing.holds (created_at);
