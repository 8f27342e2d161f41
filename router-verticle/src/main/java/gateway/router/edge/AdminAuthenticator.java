package gateway.router.edge;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.AuthBus;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Admits admin API calls bearing the admin token, as {@code auth.admin.verify} judges it (cached a
 * minute), and lets through a call an operator's session already admitted ({@link AdminActor} set).
 */
public final class AdminAuthenticator implements Handler<RoutingContext> {
  private static final long TTL_NANOS = 60_000_000_000L;

  private final EventBus bus;
  private final Map<String, Long> verifiedUntil = new HashMap<>();

  public AdminAuthenticator(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (AdminActor.of(ctx) != null) {
      ctx.next();
      return;
    }
    String token = KeyAuthenticator.presentedKey(ctx.request());
    if (token == null) {
      ctx.fail(GatewayError.INVALID_ADMIN_TOKEN.exception("Missing admin token: send 'Authorization: Bearer <token>'."));
      return;
    }
    String digest = Secrets.digest(token);
    Long until = verifiedUntil.get(digest);
    if (until != null && until - System.nanoTime() > 0) {
      AdminActor.TOKEN.put(ctx);
      ctx.next();
      return;
    }
    bus.<JsonObject>request(AuthBus.ADMIN_VERIFY, new JsonObject().put("token", token)).onComplete(reply -> {
      if (reply.failed()) {
        ctx.fail(GatewayException.of(reply.cause()));
        return;
      }
      if (verifiedUntil.size() > 100) {
        verifiedUntil.clear();
      }
      verifiedUntil.put(digest, System.nanoTime() + TTL_NANOS);
      AdminActor.TOKEN.put(ctx);
      ctx.next();
    });
  }
}
