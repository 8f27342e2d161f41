package gateway.auth;

import gateway.common.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * One-time link tokens: invitations (the invited user sets a first password) and password resets.
 * A token is 256 random bits, shown once; auth keeps its SHA-256 only. Using one is one statement,
 * so a token races to exactly one use.
 */
final class UserTokens {
  private static final Set<String> PURPOSES = Set.of("invitation", "reset");
  private static final int RANDOM_BYTES = 32;
  private static final long MAX_TTL_SECONDS = 90L * 24 * 3600;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  private final Users users;

  UserTokens(Pool pool, Users users) {
    this.pool = pool;
    this.users = users;
  }

  Future<JsonObject> issue(JsonObject body) {
    long userId = Requests.requiredLong(body, "user_id");
    String purpose = purpose(body);
    long ttl = Requests.requiredLong(body, "ttl_seconds");
    if (ttl <= 0 || ttl > MAX_TTL_SECONDS) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("'ttl_seconds' must be 1 to 90 days",
          "ttl_seconds"));
    }
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return users.get(userId)
        .compose(user -> pool.preparedQuery(AuthSql.ISSUE_TOKEN)
            .execute(Tuple.of(userId, purpose, Buffer.buffer(KeySecret.sha256(token)), ttl)))
        .map(rows -> new JsonObject()
            .put("token", token)
            .put("purpose", purpose)
            .put("expires_at", rows.iterator().next().getOffsetDateTime("expires_at").toInstant().toString()));
  }

  /** Spends the token and sets the password; an unknown, used or expired token is a 400 on {@code token}. */
  Future<JsonObject> use(JsonObject body) {
    String purpose = purpose(body);
    String hash = Users.passwordHash(body);
    byte[] tokenHash = decode(body.getValue("token_sha256"));
    Object displayName = body.getValue("display_name");
    if (displayName != null && (!(displayName instanceof String s) || s.length() > 100)) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception(
          "'display_name' must be text of at most 100 characters", "display_name"));
    }
    if (tokenHash == null) {
      return Future.failedFuture(invalid(purpose));
    }
    return pool.preparedQuery(AuthSql.USE_TOKEN)
        .execute(Tuple.of(Buffer.buffer(tokenHash), purpose, hash, displayName))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(invalid(purpose))
            : users.get(rows.iterator().next().getLong("id")));
  }

  private static RuntimeException invalid(String purpose) {
    String what = purpose.equals("invitation") ? "invitation" : "password-reset link";
    return GatewayError.INVALID_VALUE.exception("This " + what + " is unknown, used or expired: ask the operator "
        + "for a new one.", "token");
  }

  private static String purpose(JsonObject body) {
    Object purpose = body.getValue("purpose");
    if (!(purpose instanceof String s) || !PURPOSES.contains(s)) {
      throw GatewayError.INVALID_VALUE.exception("'purpose' must be invitation or reset", "purpose");
    }
    return s;
  }

  private static byte[] decode(Object base64) {
    if (!(base64 instanceof String s)) {
      return null;
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(s);
      return bytes.length == KeySecret.HASH_BYTES ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
