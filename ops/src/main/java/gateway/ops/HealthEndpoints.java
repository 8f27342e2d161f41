package gateway.ops;

import gateway.common.Role;
import gateway.common.bus.AuthBus;
import gateway.common.bus.BillingBus;
import gateway.common.bus.CatalogBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (every role this
 * process runs can reach what it needs: auth, catalog and billing their database). Only
 * roles of this process are checked, so a router pod stays ready while billing restarts
 * and answers 503 itself, instead of vanishing from its Service.
 */
public final class HealthEndpoints {
  private static final Map<Role, String> CHECKS = Map.of(
      Role.AUTH, AuthBus.HEALTH,
      Role.CATALOG, CatalogBus.HEALTH,
      Role.BILLING, BillingBus.HEALTH);
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(2_000);

  private final Vertx vertx;
  private final Set<Role> roles;

  public HealthEndpoints(Vertx vertx, Set<Role> roles) {
    this.vertx = vertx;
    this.roles = Set.copyOf(roles);
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> respond(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    JsonObject checks = new JsonObject();
    List<Future<?>> pending = new ArrayList<>();
    for (Role role : roles) {
      String address = CHECKS.get(role);
      if (address == null) {
        checks.put(role.wire(), "UP");
        continue;
      }
      pending.add(vertx.eventBus().request(address, new JsonObject(), QUICK)
          .onComplete(reply -> checks.put(role.wire(), reply.succeeded() ? "UP" : "DOWN")));
    }
    Future.join(pending).onComplete(done -> {
      boolean up = !checks.getMap().containsValue("DOWN");
      respond(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks));
    });
  }

  private static void respond(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
