package gateway.auth;

/** Every statement of the auth schema, prepared with {@code $n} parameters. */
final class AuthSql {
  static final String INSERT_ACCOUNT =
      "INSERT INTO auth.accounts (name, limits) VALUES ($1, $2) RETURNING id, name, limits, created_at";
  static final String SELECT_ACCOUNT =
      "SELECT id, name, limits, created_at FROM auth.accounts WHERE id = $1";
  static final String UPDATE_ACCOUNT =
      "UPDATE auth.accounts SET name = $2, limits = $3 WHERE id = $1 RETURNING id, name, limits, created_at";

  private static final String KEY_COLUMNS =
      "id, account_id, name, key_prefix, models, limits, disabled, expires_at, created_at, updated_at, voucher_ids, "
          + "vouchers_only";

  static final String INSERT_KEY =
      "INSERT INTO auth.api_keys (account_id, name, key_hash, key_prefix, models, limits, expires_at, voucher_ids, "
          + "vouchers_only) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING " + KEY_COLUMNS;
  static final String SELECT_KEY = "SELECT " + KEY_COLUMNS + " FROM auth.api_keys WHERE id = $1";
  static final String SELECT_KEYS_OF_ACCOUNT =
      "SELECT " + KEY_COLUMNS + " FROM auth.api_keys WHERE account_id = $1 ORDER BY id";
  static final String UPDATE_KEY =
      "UPDATE auth.api_keys SET name = $2, models = $3, limits = $4, disabled = $5, expires_at = $6, "
          + "voucher_ids = $7, vouchers_only = $8, updated_at = now() WHERE id = $1 RETURNING " + KEY_COLUMNS;
  static final String REGENERATE_KEY =
      "UPDATE auth.api_keys SET key_hash = $2, key_prefix = $3, updated_at = now() WHERE id = $1 RETURNING "
          + KEY_COLUMNS;
  static final String VERIFY_KEY =
      "SELECT k.id, k.account_id, k.name, k.key_hash, k.models, k.limits, k.disabled, k.expires_at, "
          + "k.voucher_ids, k.vouchers_only, a.limits AS account_limits FROM auth.api_keys k JOIN auth.accounts a ON a.id = k.account_id "
          + "WHERE k.key_hash = $1";

  static final String PING = "SELECT 1";

  private AuthSql() {
  }
}
