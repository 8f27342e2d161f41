package gateway.auth;

import gateway.common.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Locale;
import java.util.Set;

/**
 * People who sign in: an account's owners and members, and the operators (admins, viewers) who
 * belong to no account. Passwords arrive already hashed (Argon2id, PHC form) and are never returned
 * except to the router that verifies them; each user has a session epoch that, raised, ends every
 * session the user has.
 */
final class Users {
  static final Set<String> ACCOUNT_ROLES = Set.of("owner", "member");
  static final Set<String> OPERATOR_ROLES = Set.of("admin", "viewer");
  private static final String UNIQUE_VIOLATION = "23505";
  private static final int MAX_EMAIL = 254;
  private static final int MAX_NAME = 100;

  private final Pool pool;

  Users(Pool pool) {
    this.pool = pool;
  }

  /** An invited user (no password yet); the account must exist for owners and members. */
  Future<JsonObject> create(JsonObject body) {
    String email = email(body);
    String role = role(body);
    Long accountId = null;
    if (ACCOUNT_ROLES.contains(role)) {
      accountId = Requests.requiredLong(body, "account_id");
    } else if (body.getValue("account_id") != null) {
      throw GatewayError.INVALID_VALUE.exception("operators (admin, viewer) belong to no account", "account_id");
    }
    return pool.preparedQuery(AuthSql.INSERT_USER)
        .execute(Tuple.of(accountId, email, displayName(body, ""), role, null))
        .map(rows -> view(rows.iterator().next()))
        .recover(failure -> Future.failedFuture(translate(failure)));
  }

  /** A new account and its owner, in one transaction (self sign-up). */
  Future<JsonObject> signUp(JsonObject body) {
    String email = email(body);
    String hash = passwordHash(body);
    String name = displayName(body, "");
    String accountName = body.getValue("account_name") == null ? email : Requests.requiredString(body, "account_name");
    return pool.withTransaction(tx -> tx.preparedQuery(AuthSql.INSERT_ACCOUNT)
            .execute(Tuple.of(accountName, new JsonObject(), new String[] {"*"}))
            .compose(accounts -> {
              long accountId = accounts.iterator().next().getLong("id");
              return tx.preparedQuery(AuthSql.INSERT_USER).execute(Tuple.of(accountId, email, name, "owner", hash));
            }))
        .map(rows -> {
          JsonObject user = view(rows.iterator().next());
          return new JsonObject().put("user", user).put("account_id", user.getLong("account_id"));
        })
        .recover(failure -> Future.failedFuture(translate(failure)));
  }

  Future<JsonObject> get(long id) {
    return pool.preparedQuery(AuthSql.SELECT_USER).execute(Tuple.of(id)).map(rows -> view(single(rows, id)));
  }

  Future<JsonObject> list(Long accountId) {
    return pool.preparedQuery(AuthSql.SELECT_USERS).execute(Tuple.of(accountId)).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(row -> data.add(view(row)));
      return new JsonObject().put("data", data);
    });
  }

  /** Changes display name, role (within the same kind: account users stay account users) or disabled. */
  Future<JsonObject> update(JsonObject body) {
    long id = Requests.requiredLong(body, "id");
    return get(id).compose(current -> {
      String role = body.getValue("role") == null ? current.getString("role") : role(body);
      boolean wasOperator = OPERATOR_ROLES.contains(current.getString("role"));
      if (OPERATOR_ROLES.contains(role) != wasOperator) {
        throw GatewayError.INVALID_VALUE.exception(wasOperator ? "an operator's role is admin or viewer"
            : "an account user's role is owner or member", "role");
      }
      boolean disabled = Requests.optionalBoolean(body, "disabled", current.getBoolean("disabled"));
      return pool.preparedQuery(AuthSql.UPDATE_USER)
          .execute(Tuple.of(id, displayName(body, current.getString("display_name")), role, disabled))
          .map(rows -> view(single(rows, id)));
    });
  }

  /** What the router verifies a password against; 404 for an unknown email. */
  Future<JsonObject> credentials(JsonObject body) {
    Object email = body.getValue("email");
    if (!(email instanceof String s) || s.isBlank() || s.length() > MAX_EMAIL) {
      return Future.failedFuture(GatewayError.NOT_FOUND.exception("no such user"));
    }
    return pool.preparedQuery(AuthSql.SELECT_CREDENTIALS).execute(Tuple.of(s.trim())).map(rows -> {
      Row row = single(rows, 0);
      return new JsonObject()
          .put("user_id", row.getLong("id"))
          .put("password_hash", row.getString("password_hash"))
          .put("disabled", row.getBoolean("disabled"))
          .put("session_epoch", row.getLong("session_epoch"));
    });
  }

  Future<JsonObject> setPassword(JsonObject body) {
    long id = Requests.requiredLong(body, "id");
    return pool.preparedQuery(AuthSql.SET_PASSWORD).execute(Tuple.of(id, passwordHash(body)))
        .map(rows -> view(single(rows, id)));
  }

  Future<JsonObject> endSessions(long id) {
    return pool.preparedQuery(AuthSql.END_SESSIONS).execute(Tuple.of(id)).map(rows -> view(single(rows, id)));
  }

  Future<Void> ping() {
    return pool.query(AuthSql.PING).execute().mapEmpty();
  }

  static String passwordHash(JsonObject body) {
    Object hash = body.getValue("password_hash");
    // Only the router's Argon2id hashes are stored, never anything a caller could reverse cheaply.
    if (!(hash instanceof String s) || !s.startsWith("$argon2id$") || s.length() > 512) {
      throw GatewayError.INVALID_VALUE.exception("'password_hash' must be an Argon2id hash in PHC form",
          "password_hash");
    }
    return s;
  }

  static JsonObject view(Row row) {
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("account_id", row.getLong("account_id"))
        .put("email", row.getString("email"))
        .put("display_name", row.getString("display_name"))
        .put("role", row.getString("role"))
        .put("operator", row.getLong("account_id") == null)
        .put("has_password", row.getBoolean("has_password"))
        .put("disabled", row.getBoolean("disabled"))
        .put("session_epoch", row.getLong("session_epoch"))
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString());
  }

  private static String email(JsonObject body) {
    String email = Requests.requiredString(body, "email").trim().toLowerCase(Locale.ROOT);
    int at = email.indexOf('@');
    if (email.length() > MAX_EMAIL || at <= 0 || at != email.lastIndexOf('@') || at == email.length() - 1
        || email.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
      throw GatewayError.INVALID_VALUE.exception("'email' must be an email address", "email");
    }
    return email;
  }

  private static String role(JsonObject body) {
    String role = Requests.requiredString(body, "role");
    if (!ACCOUNT_ROLES.contains(role) && !OPERATOR_ROLES.contains(role)) {
      throw GatewayError.INVALID_VALUE.exception("'role' must be owner, member, admin or viewer", "role");
    }
    return role;
  }

  private static String displayName(JsonObject body, String fallback) {
    Object value = body.getValue("display_name");
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s) || s.length() > MAX_NAME || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw GatewayError.INVALID_VALUE.exception("'display_name' must be text of at most 100 characters",
          "display_name");
    }
    return s.trim();
  }

  private static Row single(RowSet<Row> rows, long id) {
    if (rows.size() == 0) {
      throw GatewayError.NOT_FOUND.exception(id == 0 ? "no such user" : "no user " + id);
    }
    return rows.iterator().next();
  }

  private static Throwable translate(Throwable failure) {
    if (failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
      return GatewayError.CONFLICT.exception("a user with this email exists already", "email");
    }
    if (failure instanceof PgException pg && "23503".equals(pg.getSqlState())) {
      return GatewayError.NOT_FOUND.exception("no such account", "account_id");
    }
    return failure;
  }
}
