-- A provider endpoint. Knobs without a column of their own (timeouts, breaker, limits,
-- extra headers) live in settings, so adding one needs no migration.
CREATE TABLE catalog.channels (
  name        text        PRIMARY KEY,
  type        text        NOT NULL,
  base_url    text        NOT NULL,
  api_key     text,
  priority    int         NOT NULL DEFAULT 0,
  weight      int         NOT NULL DEFAULT 1 CHECK (weight >= 0),
  stream_only boolean     NOT NULL DEFAULT false,
  wire_api    text        NOT NULL DEFAULT 'chat',
  enabled     boolean     NOT NULL DEFAULT true,
  settings    jsonb       NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
