-- A model customers call by alias ('*' in an alias matches anything). Prices are
-- micro-credits per million tokens.
CREATE TABLE catalog.models (
  alias                       text        PRIMARY KEY,
  type                        text        NOT NULL DEFAULT 'llm',
  context_length              int,
  max_output_tokens           int,
  input_micros_per_mtok       bigint      NOT NULL DEFAULT 0 CHECK (input_micros_per_mtok >= 0),
  output_micros_per_mtok      bigint      NOT NULL DEFAULT 0 CHECK (output_micros_per_mtok >= 0),
  cache_read_micros_per_mtok  bigint      NOT NULL DEFAULT 0 CHECK (cache_read_micros_per_mtok >= 0),
  cache_write_micros_per_mtok bigint      NOT NULL DEFAULT 0 CHECK (cache_write_micros_per_mtok >= 0),
  enabled                     boolean     NOT NULL DEFAULT true,
  listed                      boolean     NOT NULL DEFAULT true,
  -- shown as is in /v1/models: allow-lists (available_sizes, ...), description, owned_by
  extra                       jsonb       NOT NULL DEFAULT '{}',
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now()
);

-- The channels serving a model, in the order written. A null field takes the channel's value
-- (upstream_model: the name the client asked for).
CREATE TABLE catalog.model_routes (
  alias          text NOT NULL REFERENCES catalog.models (alias) ON DELETE CASCADE,
  position       int  NOT NULL,
  channel        text NOT NULL REFERENCES catalog.channels (name),
  upstream_model text,
  priority       int,
  weight         int CHECK (weight >= 0),
  PRIMARY KEY (alias, position)
);
