package gateway.common.bus;

/**
 * The auth service: accounts, API keys and the admin token. Every request carries JSON;
 * failures are {@code ReplyException}s built by {@link gateway.common.GatewayException}.
 */
public final class AuthBus {
  /**
   * {key_sha256} (base64 of the key's SHA-256, so the secret never crosses the bus; {key} works too)
   * → {@link Principal}. Fails 401 {@code invalid_api_key} for a missing, unknown, disabled or expired key.
   */
  public static final String VERIFY = "auth.verify";
  /** Published {key_id} (or {account_id}) after any change to a key or an account: every cache drops it. */
  public static final String KEYS_CHANGED = "auth.keys.changed";
  /** {token} → {}. Fails 401 {@code invalid_admin_token}. */
  public static final String ADMIN_VERIFY = "auth.admin.verify";
  /** {name, limits?} → {id, name, limits}. */
  public static final String ACCOUNTS_CREATE = "auth.accounts.create";
  /** {id} → {id, name, limits}. Fails 404 {@code not_found}. */
  public static final String ACCOUNTS_GET = "auth.accounts.get";
  /** {id, name?, limits?} → {id, name, limits}. Fails 404 {@code not_found}. */
  public static final String ACCOUNTS_UPDATE = "auth.accounts.update";
  /** {account_id, name, models[], expires_at?, rpm?, rph?, rpd?, tpm?, concurrency?} → key view plus {key}, the only time the full key leaves auth. */
  public static final String KEYS_CREATE = "auth.keys.create";
  /** {id, disabled?, name?, models?, expires_at?, limits…} → key view. Fails 404 {@code not_found}. */
  public static final String KEYS_UPDATE = "auth.keys.update";
  /** {id} → {id, key, prefix}: a new secret, the old one stops working at once. */
  public static final String KEYS_REGENERATE = "auth.keys.regenerate";
  /** {account_id} → {data: [key view]}. */
  public static final String KEYS_LIST = "auth.keys.list";
  /** Local only: {} → {} when the service can reach its database. */
  public static final String HEALTH = "auth.health";

  private AuthBus() {
  }
}
