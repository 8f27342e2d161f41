-- People who sign in: an account's users (owner, member) and the gateway's operators (admin,
-- viewer, who belong to no account). A password is kept only as an Argon2id hash in PHC form.
CREATE TABLE auth.users (
  id             bigserial   PRIMARY KEY,
  account_id     bigint      REFERENCES auth.accounts (id),
  email          text        NOT NULL,
  display_name   text        NOT NULL DEFAULT '',
  role           text        NOT NULL CHECK (role IN ('owner', 'member', 'admin', 'viewer')),
  password_hash  text        CHECK (password_hash LIKE '$argon2id$%'),
  disabled       boolean     NOT NULL DEFAULT false,
  -- every session records the epoch it began in; raising it ends all of the user's sessions at once
  session_epoch  bigint      NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((role IN ('owner', 'member')) = (account_id IS NOT NULL))
);

CREATE UNIQUE INDEX users_by_email ON auth.users (lower(email));
CREATE INDEX users_by_account ON auth.users (account_id);

-- One-time links (invitations, password resets): only the SHA-256 of the token is kept.
CREATE TABLE auth.user_tokens (
  id           bigserial   PRIMARY KEY,
  user_id      bigint      NOT NULL REFERENCES auth.users (id),
  purpose      text        NOT NULL CHECK (purpose IN ('invitation', 'reset')),
  token_sha256 bytea       NOT NULL UNIQUE,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX user_tokens_by_user ON auth.user_tokens (user_id, purpose);

-- Keys a user made through the self-service API belong to that user; deleting one there
-- disables and hides it (its usage rows still name it).
ALTER TABLE auth.api_keys ADD COLUMN user_id bigint REFERENCES auth.users (id);
ALTER TABLE auth.api_keys ADD COLUMN deleted_at timestamptz;
CREATE INDEX api_keys_by_user ON auth.api_keys (user_id);

-- The models an account's users may give their keys ('*': any); the operator narrows it.
ALTER TABLE auth.accounts ADD COLUMN models text[] NOT NULL DEFAULT '{*}';
