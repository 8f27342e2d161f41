-- One row per video job a client submitted, owned by the router: a job outlives the request that made it, the
-- router process that polls it and any restart. The row is the job's state of record: what was asked and held,
-- where it runs upstream, who polls it now (a lease), what it delivered and what it cost.
CREATE TABLE videos.jobs (
  id               text        PRIMARY KEY,        -- video_<random>: the client's id, and the hold's request id
  account_id       bigint      NOT NULL,
  key_id           bigint      NOT NULL,
  model            text        NOT NULL,           -- the alias the client asked for
  channel          text        NOT NULL,
  upstream_model   text,
  upstream_job_id  text        NOT NULL,
  status           text        NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'in_progress', 'completed', 'failed')),
  progress         int         NOT NULL DEFAULT 0,
  prompt           text,
  seconds          int         NOT NULL CHECK (seconds > 0),  -- sent upstream and held
  delivered_seconds int,                           -- charged: the upstream's report, never above seconds
  size             text,                           -- OpenAI's WxH, when asked so
  resolution       text        NOT NULL,           -- the priced tier
  ratio            text,
  hold_micros      bigint      NOT NULL,
  cost_micros      bigint,
  lease_owner      text,
  lease_expires_at timestamptz,
  next_poll_at     timestamptz NOT NULL DEFAULT now(),
  polls            int         NOT NULL DEFAULT 0,
  failed_polls     int         NOT NULL DEFAULT 0,
  deadline_at      timestamptz NOT NULL,           -- failed and released when not done by then
  media_id         text,                           -- the copy on our storage, set before completed
  media_bytes      bigint,
  error_code       text,
  error_message    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz
);

-- The poller's queue: open jobs by when they are due.
CREATE INDEX jobs_due ON videos.jobs (next_poll_at) WHERE status IN ('queued', 'in_progress');
-- GET /v1/videos: an account's jobs newest first, keyset-paged on (created_at, id).
CREATE INDEX jobs_by_account ON videos.jobs (account_id, created_at DESC, id DESC);
