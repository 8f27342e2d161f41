-- An API key is stored only as the SHA-256 of its secret, plus a display prefix.
CREATE TABLE auth.api_keys (
  id         bigserial PRIMARY KEY,
  account_id bigint      NOT NULL REFERENCES auth.accounts (id),
  name       text        NOT NULL,
  key_hash   bytea       NOT NULL UNIQUE,
  key_prefix text        NOT NULL,
  -- model aliases the key may call; '*' means all
  models     text[]      NOT NULL,
  limits     jsonb       NOT NULL DEFAULT '{}',
  disabled   boolean     NOT NULL DEFAULT false,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX api_keys_account ON auth.api_keys (account_id);
