-- One append-only row per finished request; the primary key makes settle/release happen once.
CREATE TABLE billing.usage (
  request_id         text        PRIMARY KEY,
  account_id         bigint      NOT NULL,
  key_id             bigint      NOT NULL,
  model              text        NOT NULL,
  channel            text,
  input_tokens       bigint      NOT NULL DEFAULT 0,  -- uncached prompt tokens
  cache_read_tokens  bigint      NOT NULL DEFAULT 0,
  cache_write_tokens bigint      NOT NULL DEFAULT 0,
  output_tokens      bigint      NOT NULL DEFAULT 0,  -- reasoning included
  reasoning_tokens   bigint      NOT NULL DEFAULT 0,
  cost_micros        bigint      NOT NULL,            -- what was charged
  priced_micros      bigint      NOT NULL,            -- what the usage cost at catalog prices
  outcome            text        NOT NULL,
  latency_ms         bigint      NOT NULL DEFAULT 0,
  attempts           int         NOT NULL DEFAULT 1,
  error              text,
  created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX usage_by_account ON billing.usage (account_id, created_at DESC);
CREATE INDEX usage_by_time ON billing.usage (created_at DESC);
