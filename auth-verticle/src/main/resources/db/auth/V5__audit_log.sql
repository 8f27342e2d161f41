-- Every admin API call: who (the admin token or an operator), what, when, and the target's state
-- before and after. Append-only: UPDATE, DELETE and TRUNCATE are refused by triggers.
CREATE TABLE auth.audit_log (
  id             bigserial   PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  actor_kind     text        NOT NULL CHECK (actor_kind IN ('admin_token', 'operator')),
  actor_user_id  bigint,
  actor_email    text,
  method         text        NOT NULL,
  path           text        NOT NULL,
  action         text        NOT NULL,
  status         int         NOT NULL,
  target         text,
  before         jsonb,
  after          jsonb,
  request_id     text,
  client_address text
);

CREATE INDEX audit_by_actor ON auth.audit_log (actor_user_id, id);
CREATE INDEX audit_by_action ON auth.audit_log (action, id);

CREATE FUNCTION auth.audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'auth.audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON auth.audit_log
  FOR EACH ROW EXECUTE FUNCTION auth.audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON auth.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION auth.audit_log_is_append_only();
