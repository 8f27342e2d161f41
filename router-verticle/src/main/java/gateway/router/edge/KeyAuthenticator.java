package gateway.router.edge;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.AuthBus;
import gateway.common.bus.Principal;
import gateway.router.observe.BusTimer;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Predicate;

/**
 * Authenticates client API calls: the key from {@code Authorization: Bearer} (OpenAI
 * clients) or {@code x-api-key} (Anthropic clients), verified by {@code auth.verify} and cached
 * briefly. Requests matching {@code anonymousAllowed} may come without a key.
 */
public final class KeyAuthenticator implements Handler<RoutingContext> {
  private static final String PRINCIPAL = "principal";
  private static final String BEARER = "bearer ";

  private final EventBus bus;
  private final PrincipalCache cache;
  private final Predicate<RoutingContext> anonymousAllowed;

  public KeyAuthenticator(EventBus bus, long cacheSeconds, Predicate<RoutingContext> anonymousAllowed) {
    this.bus = bus;
    this.cache = new PrincipalCache(cacheSeconds);
    this.anonymousAllowed = anonymousAllowed;
  }

  /** Applies an {@code auth.keys.changed} event to the cache. */
  public void keysChanged(JsonObject change) {
    cache.invalidate(change);
  }

  /** The caller, or null on an anonymous request. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = presentedKey(ctx.request());
    if (key == null) {
      if (anonymousAllowed.test(ctx)) {
        ctx.next();
      } else {
        ctx.fail(GatewayError.INVALID_API_KEY.exception(
            "Missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'."));
      }
      return;
    }
    String digest = Secrets.digest(key);
    Principal cached = cache.verified(digest);
    if (cached != null) {
      admit(ctx, cached);
      return;
    }
    if (cache.recentlyRefused(digest)) {
      ctx.fail(GatewayError.INVALID_API_KEY.exception());
      return;
    }
    long generation = cache.generation();
    JsonObject verify = new JsonObject().put("key_sha256", digest);
    BusTimer.timed(AuthBus.VERIFY, bus.<JsonObject>request(AuthBus.VERIFY, verify))
        .onComplete(reply -> {
      if (reply.succeeded()) {
        Principal principal = Principal.fromJson(reply.result().body());
        cache.putVerified(digest, principal, generation);
        admit(ctx, principal);
        return;
      }
      GatewayException failure = GatewayException.of(reply.cause());
      if (failure.error() == GatewayError.INVALID_API_KEY) {
        cache.putRefused(digest, generation);
      }
      ctx.fail(failure);
    });
  }

  private static void admit(RoutingContext ctx, Principal principal) {
    if (principal.expiredAt(System.currentTimeMillis())) {
      ctx.fail(GatewayError.INVALID_API_KEY.exception("This API key has expired."));
      return;
    }
    ctx.put(PRINCIPAL, principal);
    ctx.next();
  }

  static String presentedKey(HttpServerRequest request) {
    String authorization = request.getHeader("authorization");
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      String token = authorization.substring(BEARER.length()).trim();
      return token.isEmpty() ? null : token;
    }
    String apiKey = request.getHeader("x-api-key");
    return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
  }
}
