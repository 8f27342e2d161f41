CREATE TABLE auth.accounts (
  id         bigserial PRIMARY KEY,
  name       text        NOT NULL,
  -- request/token limits for the whole account: {rpm, rph, rpd, tpm, concurrency}
  limits     jsonb       NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
