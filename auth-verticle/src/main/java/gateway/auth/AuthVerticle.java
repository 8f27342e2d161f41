package gateway.auth;

import gateway.common.GatewayError;
import gateway.common.PgDatabase;
import gateway.common.bus.AuthBus;
import gateway.common.bus.BusReplies;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.function.Function;

/**
 * Serves the {@link AuthBus} addresses from the {@code auth} schema, which must be migrated before it
 * deploys ({@link PgDatabase#migrate}).
 */
public final class AuthVerticle extends VerticleBase {
  /** The Postgres schema the module owns, and its migrations' folder. */
  public static final String SCHEMA = "auth";

  private final AuthConfig config;
  private Pool pool;

  public AuthVerticle(AuthConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    AdminToken adminToken = new AdminToken(config.adminToken());
    pool = PgDatabase.pool(vertx, config.pg(), SCHEMA);
    Accounts accounts = new Accounts(pool);
    return accounts.ping().compose(checked -> {
      ApiKeys keys = new ApiKeys(pool, accounts);
      OwnedKeys owned = new OwnedKeys(pool, keys, accounts);
      Users users = new Users(pool);
      UserTokens tokens = new UserTokens(pool, users);
      AuditLog audit = new AuditLog(pool);
      EventBus bus = vertx.eventBus();
      return Future.all(List.of(
          reply(AuthBus.VERIFY, body -> (body.containsKey("key_sha256")
              ? keys.verifyHash(decode(body.getString("key_sha256")))
              : keys.verify(body.getString("key"))).map(p -> p.toJson())),
          reply(AuthBus.ADMIN_VERIFY, body -> adminToken.matches(body.getString("token"))
              ? Future.succeededFuture(new JsonObject())
              : Future.failedFuture(GatewayError.INVALID_ADMIN_TOKEN.exception())),
          reply(AuthBus.ACCOUNTS_CREATE, accounts::create),
          reply(AuthBus.ACCOUNTS_GET, body -> accounts.get(Requests.requiredLong(body, "id"))),
          reply(AuthBus.ACCOUNTS_SEARCH, accounts::search),
          reply(AuthBus.ACCOUNTS_UPDATE, body -> accounts.update(body)
              .onSuccess(a -> bus.publish(AuthBus.KEYS_CHANGED, new JsonObject().put("account_id", a.getLong("id"))))),
          reply(AuthBus.KEYS_CREATE, body -> keys.create(body).onSuccess(k -> publishKeyChange(k))),
          reply(AuthBus.KEYS_UPDATE, body -> keys.update(body).onSuccess(k -> publishKeyChange(k))),
          reply(AuthBus.KEYS_REGENERATE, body -> keys.regenerate(Requests.requiredLong(body, "id"))
              .onSuccess(k -> publishKeyChange(k))),
          reply(AuthBus.KEYS_LIST, body -> keys.list(Requests.requiredLong(body, "account_id"))),
          reply(AuthBus.KEYS_GET, body -> keys.get(Requests.requiredLong(body, "id"))),
          reply(AuthBus.OWNED_KEYS_LIST, owned::list),
          reply(AuthBus.OWNED_KEYS_GET, owned::get),
          reply(AuthBus.OWNED_KEYS_CREATE, body -> owned.create(body).onSuccess(this::publishKeyChange)),
          reply(AuthBus.OWNED_KEYS_UPDATE, body -> owned.update(body).onSuccess(this::publishKeyChange)),
          reply(AuthBus.OWNED_KEYS_REGENERATE, body -> owned.regenerate(body).onSuccess(this::publishKeyChange)),
          reply(AuthBus.OWNED_KEYS_DELETE, body -> owned.delete(body).onSuccess(this::publishKeyChange)),
          reply(AuthBus.USERS_CREATE, users::create),
          reply(AuthBus.USERS_SIGN_UP, users::signUp),
          reply(AuthBus.USERS_GET, body -> users.get(Requests.requiredLong(body, "id"))),
          reply(AuthBus.USERS_LIST, body -> users.list(body.getLong("account_id"))),
          reply(AuthBus.USERS_UPDATE, users::update),
          reply(AuthBus.USERS_CREDENTIALS, users::credentials),
          reply(AuthBus.USERS_SET_PASSWORD, users::setPassword),
          reply(AuthBus.USERS_END_SESSIONS, body -> users.endSessions(Requests.requiredLong(body, "id"))),
          reply(AuthBus.USERS_ISSUE_TOKEN, tokens::issue),
          reply(AuthBus.USERS_USE_TOKEN, tokens::use),
          reply(AuthBus.AUDIT_APPEND, audit::append),
          reply(AuthBus.AUDIT_LIST, audit::list),
          BusReplies.serveLocal(bus, AuthBus.HEALTH, body -> accounts.ping().map(new JsonObject()))));
    });
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  private void publishKeyChange(JsonObject key) {
    vertx.eventBus().publish(AuthBus.KEYS_CHANGED, new JsonObject().put("key_id", key.getLong("id")));
  }

  private static byte[] decode(String base64) {
    try {
      return base64 == null ? null : java.util.Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Future<Void> reply(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return BusReplies.serve(vertx.eventBus(), address, handler);
  }
}
