package gateway.auth;

/** Every statement of the auth schema, prepared with {@code $n} parameters. */
final class AuthSql {
  private static final String ACCOUNT_COLUMNS = "id, name, limits, models, created_at";

  static final String INSERT_ACCOUNT =
      "INSERT INTO auth.accounts (name, limits, models) VALUES ($1, $2, $3) RETURNING " + ACCOUNT_COLUMNS;
  static final String SELECT_ACCOUNT = "SELECT " + ACCOUNT_COLUMNS + " FROM auth.accounts WHERE id = $1";
  /** $1 a LIKE pattern or null, $2 an id or null, $3 keyset (ids below it) or null, $4 the page size. */
  static final String SEARCH_ACCOUNTS = "SELECT " + ACCOUNT_COLUMNS + " FROM auth.accounts"
      + " WHERE ($1::text IS NULL OR name ILIKE $1 OR id = $2) AND ($3::bigint IS NULL OR id < $3)"
      + " ORDER BY id DESC LIMIT $4";
  static final String UPDATE_ACCOUNT =
      "UPDATE auth.accounts SET name = $2, limits = $3, models = $4 WHERE id = $1 RETURNING " + ACCOUNT_COLUMNS;

  private static final String KEY_COLUMNS =
      "id, account_id, name, key_prefix, models, limits, disabled, expires_at, created_at, updated_at, voucher_ids, "
          + "vouchers_only, user_id, deleted_at";

  static final String INSERT_KEY =
      "INSERT INTO auth.api_keys (account_id, name, key_hash, key_prefix, models, limits, expires_at, voucher_ids, "
          + "vouchers_only, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING " + KEY_COLUMNS;
  static final String SELECT_KEY = "SELECT " + KEY_COLUMNS + " FROM auth.api_keys WHERE id = $1";
  static final String SELECT_KEYS_OF_ACCOUNT =
      "SELECT " + KEY_COLUMNS + " FROM auth.api_keys WHERE account_id = $1 ORDER BY id";

  /** $1 account, $2 owning user or null for all of the account's, $3 with deleted ones, $4 before this id, $5 limit. */
  static final String SELECT_OWNED_KEYS = "SELECT " + KEY_COLUMNS + " FROM auth.api_keys WHERE account_id = $1 "
      + "AND ($2::bigint IS NULL OR user_id = $2) AND ($3 OR deleted_at IS NULL) AND id < $4 "
      // $6: a search in the name or the prefix (strpos, not LIKE: the client's % and _ are plain characters)
      + "AND ($6::text IS NULL OR strpos(lower(name), lower($6)) > 0 OR strpos(lower(key_prefix), lower($6)) > 0) "
      + "ORDER BY id DESC LIMIT $5";
  /** $1 key, $2 account, $3 owning user or null, $4 deleted ones too. */
  static final String SELECT_OWNED_KEY = "SELECT " + KEY_COLUMNS + " FROM auth.api_keys WHERE id = $1 "
      + "AND account_id = $2 AND ($3::bigint IS NULL OR user_id = $3) AND ($4 OR deleted_at IS NULL)";
  /** $1 key, $2 account, $3 owning user or null. */
  static final String DELETE_OWNED_KEY = "UPDATE auth.api_keys SET deleted_at = now(), disabled = true, "
      + "updated_at = now() WHERE id = $1 AND account_id = $2 AND ($3::bigint IS NULL OR user_id = $3) "
      + "AND deleted_at IS NULL RETURNING id";
  static final String UPDATE_KEY =
      "UPDATE auth.api_keys SET name = $2, models = $3, limits = $4, disabled = $5, expires_at = $6, "
          + "voucher_ids = $7, vouchers_only = $8, updated_at = now() WHERE id = $1 RETURNING " + KEY_COLUMNS;
  static final String REGENERATE_KEY =
      "UPDATE auth.api_keys SET key_hash = $2, key_prefix = $3, updated_at = now() WHERE id = $1 RETURNING "
          + KEY_COLUMNS;
  static final String VERIFY_KEY =
      "SELECT k.id, k.account_id, k.name, k.key_hash, k.models, k.limits, k.disabled, k.expires_at, k.deleted_at, "
          + "k.voucher_ids, k.vouchers_only, a.limits AS account_limits FROM auth.api_keys k JOIN auth.accounts a ON a.id = k.account_id "
          + "WHERE k.key_hash = $1";

  private static final String USER_COLUMNS =
      "id, account_id, email, display_name, role, password_hash IS NOT NULL AS has_password, disabled, session_epoch, "
          + "created_at, updated_at";

  static final String INSERT_USER = "INSERT INTO auth.users (account_id, email, display_name, role, password_hash) "
      + "VALUES ($1, $2, $3, $4, $5) RETURNING " + USER_COLUMNS;
  static final String SELECT_USER = "SELECT " + USER_COLUMNS + " FROM auth.users WHERE id = $1";
  /** $1 account, or null for the operators. */
  static final String SELECT_USERS = "SELECT " + USER_COLUMNS + " FROM auth.users WHERE "
      + "($1::bigint IS NULL AND account_id IS NULL) OR account_id = $1 ORDER BY id LIMIT 10000";
  /** $1 id, $2 display name, $3 role, $4 disabled; disabling raises the session epoch. */
  static final String UPDATE_USER = "UPDATE auth.users SET display_name = $2, role = $3, disabled = $4, "
      + "session_epoch = session_epoch + CASE WHEN $4 AND NOT disabled THEN 1 ELSE 0 END, updated_at = now() "
      + "WHERE id = $1 RETURNING " + USER_COLUMNS;
  static final String SELECT_CREDENTIALS =
      "SELECT id, password_hash, disabled, session_epoch FROM auth.users WHERE lower(email) = lower($1)";
  static final String SET_PASSWORD = "UPDATE auth.users SET password_hash = $2, session_epoch = session_epoch + 1, "
      + "updated_at = now() WHERE id = $1 RETURNING " + USER_COLUMNS;
  static final String END_SESSIONS = "UPDATE auth.users SET session_epoch = session_epoch + 1, updated_at = now() "
      + "WHERE id = $1 RETURNING " + USER_COLUMNS;

  /** $1 user, $2 purpose, $3 token hash, $4 lifetime in seconds; earlier unused tokens of the purpose are spent. */
  static final String ISSUE_TOKEN = """
      WITH superseded AS (
        UPDATE auth.user_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL
      )
      INSERT INTO auth.user_tokens (user_id, purpose, token_sha256, expires_at)
      VALUES ($1, $2, $3, now() + $4 * interval '1 second') RETURNING expires_at""";
  /** $1 token hash, $2 purpose, $3 password hash, $4 display name or null: spends the token once, sets the password. */
  static final String USE_TOKEN = """
      WITH spent AS (
        UPDATE auth.user_tokens SET used_at = now()
        WHERE token_sha256 = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id
      )
      UPDATE auth.users u SET password_hash = $3, display_name = COALESCE($4, u.display_name),
        session_epoch = u.session_epoch + 1, updated_at = now()
      FROM spent WHERE u.id = spent.user_id AND NOT u.disabled
      RETURNING u.id""";

  static final String APPEND_AUDIT = """
      INSERT INTO auth.audit_log (actor_kind, actor_user_id, actor_email, method, path, action, status, target,
          before, after, request_id, client_address)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id""";
  /** $1 before id, $2 action or null, $3 actor user or null, $4 from, $5 until, $6 limit. */
  static final String SELECT_AUDIT = """
      SELECT * FROM auth.audit_log
      WHERE id < $1 AND ($2::text IS NULL OR action = $2) AND ($3::bigint IS NULL OR actor_user_id = $3)
        AND at >= $4 AND at < $5
      ORDER BY id DESC LIMIT $6""";

  static final String PING = "SELECT 1";

  private AuthSql() {
  }
}
