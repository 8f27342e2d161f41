package gateway.router.selfservice;

import gateway.router.RouterConfig;
import gateway.router.edge.TrustedProxies;
import gateway.common.GatewayException;
import gateway.common.bus.AuthBus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.CSRFHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.impl.SessionHandlerImpl;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.ext.web.sstore.redis.RedisSessionStore;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser and script sessions: vertx-web's {@link SessionHandler} over a Redis store every router
 * shares (cookie {@code gateway.session}: HttpOnly, SameSite=Lax, Secure when configured, when the
 * request came over TLS, or through a trusted proxy that says it did), and its
 * {@link CSRFHandler} (double-submit: the {@code XSRF-TOKEN} cookie's value sent back in the
 * {@code X-XSRF-TOKEN} header, refreshed after every state-changing call). The CSRF secret is shared
 * through Redis, so a token from one router is good at all of them.
 *
 * <p>A signed-in session holds the user's id and the session epoch it began in. Every request
 * reloads the user from auth: a disabled user, or one whose epoch moved on (logout everywhere, a
 * new password), is signed out of every session at once.
 */
public final class Sessions {
  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
  public static final String COOKIE = "gateway.session";
  public static final String CSRF_HEADER = CSRFHandler.DEFAULT_HEADER_NAME;
  private static final String USER_ID = "user_id";
  private static final String EPOCH = "session_epoch";
  private static final String CTX_USER = "signed_in_user";
  private static final String CTX_SESSIONS = "sessions";
  private static final String CTX_LOADED = "session_as_loaded";
  private static final String CTX_HANDLERS = "session_handlers";

  /** The session and CSRF handlers of one cookie flavour: their cookies are Secure, or not. */
  private record Handlers(SessionHandler sessions, CSRFHandler csrf) {
  }

  private final Handlers plain;
  private final Handlers secure;
  private final TrustedProxies proxies;
  private final EventBus bus;

  private Sessions(Handlers plain, Handlers secure, TrustedProxies proxies, EventBus bus) {
    this.plain = plain;
    this.secure = secure;
    this.proxies = proxies;
    this.bus = bus;
  }

  /** Reads (or, first of all routers, creates) the shared CSRF secret, then builds the handlers. */
  public static Future<Sessions> create(Vertx vertx, Redis redis, RouterConfig config) {
    RedisAPI api = RedisAPI.api(redis);
    String key = config.redisPrefix() + ":csrf-secret";
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    return api.set(List.of(key, Base64.getEncoder().encodeToString(fresh), "NX"))
        .compose(set -> api.get(key))
        .map(secret -> {
          long timeoutMs = config.selfService().sessionTimeoutMinutes() * 60_000L;
          // No retries for a missing session: Redis has it at once, and a stale cookie must not stall requests.
          SessionStore store = RedisSessionStore.create(vertx, 0, redis);
          Handlers secure = handlers(vertx, store, secret.toString(), timeoutMs, true);
          Handlers plain = config.selfService().cookieSecure() ? secure
              : handlers(vertx, store, secret.toString(), timeoutMs, false);
          return new Sessions(plain, secure, config.trustedProxies(), vertx.eventBus());
        });
  }

  /** Both flavours share the store and the CSRF secret: a session and its token are good in either. */
  private static Handlers handlers(Vertx vertx, SessionStore store, String secret, long timeoutMs, boolean secure) {
    SessionHandler sessions = SessionHandler.create(store)
        .setSessionCookieName(COOKIE)
        .setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.LAX)
        .setCookieSecureFlag(secure)
        .setSessionTimeout(timeoutMs)
        .setNagHttps(false);
    CSRFHandler csrf = CSRFHandler.create(vertx, secret)
        .setCookieSecure(secure)
        .setTimeout(timeoutMs)
        .setNagHttps(false);
    return new Handlers(sessions, csrf);
  }

  /**
   * Loads the request's session (or starts one); remembers this so replies can store it first. Its cookies
   * are Secure when configured so, when the request came over TLS, or when a trusted proxy forwarded it
   * from {@code https} (TLS ended at the proxy).
   */
  public void session(RoutingContext ctx) {
    Handlers handlers = ctx.request().isSSL() || proxies.forwardedHttps(ctx.request()) ? secure : plain;
    ctx.put(CTX_SESSIONS, this);
    ctx.put(CTX_HANDLERS, handlers);
    handlers.sessions().handle(ctx);
  }

  public void csrf(RoutingContext ctx) {
    if (ctx.session() != null) {
      ctx.put(CTX_LOADED, new HashMap<>(ctx.session().data()));
    }
    ctx.<Handlers>get(CTX_HANDLERS).csrf().handle(ctx);
  }

  /** Puts the session's user, if any and still valid, in the context; never fails the request. */
  public void loadUser(RoutingContext ctx) {
    Session session = ctx.session();
    Long userId = session == null ? null : session.get(USER_ID);
    if (userId == null) {
      ctx.next();
      return;
    }
    bus.<JsonObject>request(AuthBus.USERS_GET, new JsonObject().put("id", userId)).onComplete(reply -> {
      if (reply.failed() && GatewayException.of(reply.cause()).error().status >= 500) {
        ctx.fail(GatewayException.of(reply.cause()));
        return;
      }
      Long epoch = session.get(EPOCH);
      SignedInUser user = reply.succeeded() ? SignedInUser.fromView(reply.result().body()) : null;
      if (user == null || user.view().getBoolean("disabled") || epoch == null || epoch != user.sessionEpoch()) {
        // Signed out everywhere (or gone): this session goes on, anonymous.
        session.remove(USER_ID);
        session.remove(EPOCH);
      } else {
        ctx.put(CTX_USER, user);
      }
      ctx.next();
    });
  }

  /** The signed-in user, or null. */
  public static SignedInUser user(RoutingContext ctx) {
    return ctx.get(CTX_USER);
  }

  /**
   * Makes the session the user's: a new session id (no fixation), the user and their epoch, and
   * the CSRF token this request was answered with bound to the new id so it stays usable.
   */
  public static void signIn(RoutingContext ctx, SignedInUser user) {
    Session session = ctx.session();
    session.regenerateId();
    session.put(USER_ID, user.id());
    session.put(EPOCH, user.sessionEpoch());
    String token = ctx.get(CSRF_HEADER);
    if (token != null) {
      // CSRFHandler keeps "<session id>/<token>"; the id just changed.
      session.put(CSRF_HEADER, session.id() + "/" + token);
    }
    ctx.put(CTX_USER, user);
  }

  /** Keeps this session signed in after the user's epoch moved on (their own password change). */
  public static void restamp(RoutingContext ctx, long epoch) {
    ctx.session().put(EPOCH, epoch);
  }

  public static void signOut(RoutingContext ctx) {
    Session session = ctx.session();
    if (session != null) {
      session.destroy();
    }
    ctx.remove(CTX_USER);
  }

  /**
   * Stores the session before the reply is written, so the next request (at any router) sees it and
   * its refreshed CSRF token. {@code evenOnError}: also when the reply is an error, since the CSRF
   * token was refreshed all the same.
   */
  public static Future<Void> store(RoutingContext ctx, boolean evenOnError) {
    Sessions sessions = ctx.get(CTX_SESSIONS);
    Session session = ctx.session();
    if (sessions == null || session == null) {
      return Future.succeededFuture();
    }
    Map<String, Object> loaded = ctx.get(CTX_LOADED);
    if (loaded != null && !session.isRegenerated() && !session.isDestroyed() && loaded.equals(session.data())) {
      // Unchanged (reading extended its life already): not writing it keeps a parallel call's change from
      // being overwritten, and no anonymous session is stored for nothing.
      ctx.put(SessionHandlerImpl.SESSION_FLUSHED_KEY, true);
      return Future.succeededFuture();
    }
    return ctx.<Handlers>get(CTX_HANDLERS).sessions().flush(ctx, evenOnError)
        .recover(failure -> {
          // Two calls of one session racing: the other stored its version first.
          LOG.warn("session not stored: {}", failure.getMessage());
          return Future.succeededFuture();
        });
  }
}
