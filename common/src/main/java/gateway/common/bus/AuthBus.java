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
  /**
   * {q?, limit? (1..100, default 50), before_id?} → {data: [accounts newest first], next_before_id}: {@code q}
   * matches the name (case-insensitive, anywhere) or, when it is a number, the id.
   */
  public static final String ACCOUNTS_SEARCH = "auth.accounts.search";
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
  /** {id} → key view. Fails 404 {@code not_found}. */
  public static final String KEYS_GET = "auth.keys.get";

  // Keys as a signed-in user sees them. Each takes the user's id; auth derives the account and the
  // scope from the user's role: an owner reaches every key of the account, a member only the keys
  // they own. A key outside that scope (or deleted) is 404 {@code not_found}, exactly like a missing one.

  /**
   * {user_id, include_deleted?, limit? (≤ 1000), before_id?} → {data: [key view], next_before_id}, newest first;
   * deleted keys only when asked.
   */
  public static final String OWNED_KEYS_LIST = "auth.owned-keys.list";
  /** {user_id, id, include_deleted?} → key view. */
  public static final String OWNED_KEYS_GET = "auth.owned-keys.get";
  /**
   * {user_id, name, models[], expires_at?, limits…} → key view plus {key} (shown once). The models must
   * be among the account's ({@code models} of the account) and each limit at most the account's.
   */
  public static final String OWNED_KEYS_CREATE = "auth.owned-keys.create";
  /** {user_id, id, name?, disabled?, models?, expires_at?, limits…} → key view; same bounds as create. */
  public static final String OWNED_KEYS_UPDATE = "auth.owned-keys.update";
  /** {user_id, id} → key view plus {key}. */
  public static final String OWNED_KEYS_REGENERATE = "auth.owned-keys.regenerate";
  /** {user_id, id} → {}: the key is disabled and hidden from lists; its usage stays. */
  public static final String OWNED_KEYS_DELETE = "auth.owned-keys.delete";

  // Users: account users (owner, member) and operators (admin, viewer). Passwords reach auth only as
  // Argon2id hashes in PHC form ("$argon2id$..."), made by the router: no password crosses the bus.

  /**
   * {email, display_name?, role, account_id? (required for owner and member, absent for admin and viewer)}
   * → user view. Fails 409 {@code conflict} on a taken email, 400 naming a bad field.
   */
  public static final String USERS_CREATE = "auth.users.create";
  /**
   * {email, display_name?, account_name?, password_hash} → {user, account}: a new account and its owner, in
   * one transaction. Fails 409 {@code conflict} on a taken email.
   */
  public static final String USERS_SIGN_UP = "auth.users.sign-up";
  /** {id} → user view {id, email, display_name, role, account_id, disabled, session_epoch, ...}. 404 when unknown. */
  public static final String USERS_GET = "auth.users.get";
  /** {account_id?} → {data: [user view]}: one account's users, or with no account_id the operators. */
  public static final String USERS_LIST = "auth.users.list";
  /** {id, display_name?, role?, disabled?} → user view; disabling ends the user's sessions. */
  public static final String USERS_UPDATE = "auth.users.update";
  /**
   * {email} → {user_id, password_hash (null while unset), disabled, session_epoch}, for the router to
   * verify a password against. Fails 404 {@code not_found} for an unknown email.
   */
  public static final String USERS_CREDENTIALS = "auth.users.credentials";
  /** {id, password_hash} → user view: the password is replaced and every session of the user ends. */
  public static final String USERS_SET_PASSWORD = "auth.users.set-password";
  /** {id} → user view with the new {@code session_epoch}: every session of the user ends. */
  public static final String USERS_END_SESSIONS = "auth.users.end-sessions";
  /**
   * {user_id, purpose (invitation | reset), ttl_seconds} → {token, expires_at}: a one-time link token, shown
   * only here (auth keeps its SHA-256); earlier unused tokens of that purpose stop working.
   */
  public static final String USERS_ISSUE_TOKEN = "auth.users.issue-token";
  /**
   * {token_sha256 (base64), purpose, password_hash, display_name?} → user view: the token is used (once),
   * the password set, the user's sessions ended. Fails 400 {@code invalid_value@token} for an unknown,
   * used or expired token.
   */
  public static final String USERS_USE_TOKEN = "auth.users.use-token";

  /**
   * {actor_kind (admin_token | operator), actor_user_id?, actor_email?, method, path, action, status, target?,
   * before?, after?, request_id?, client_address?} → {id}. The audit log is append-only: the table refuses
   * UPDATE and DELETE.
   */
  public static final String AUDIT_APPEND = "auth.audit.append";
  /** {limit?, before_id?, action?, actor_user_id?, from?, until?} → {data: [entries newest first], next_before_id}. */
  public static final String AUDIT_LIST = "auth.audit.list";

  /** Local only: {} → {} when the service can reach its database. */
  public static final String HEALTH = "auth.health";

  private AuthBus() {
  }
}
