package gateway.router.edge;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.CatalogBus;
import gateway.common.bus.Principal;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/models}: without a key, the public catalog with prices and allow-lists;
 * with a key, only the models that key may call. {@code GET /v1/models/{id}} gives one.
 */
public final class ModelsHandler {
  private final EventBus bus;

  public ModelsHandler(EventBus bus) {
    this.bus = bus;
  }

  public void list(RoutingContext ctx) {
    models(ctx).onSuccess(list -> json(ctx, list));
  }

  public void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    models(ctx).onSuccess(list -> {
      for (Object entry : list.getJsonArray("data", new JsonArray())) {
        if (entry instanceof JsonObject model && id.equals(model.getString("id"))) {
          json(ctx, model);
          return;
        }
      }
      ctx.fail(GatewayError.MODEL_NOT_FOUND.exception("The model '" + id + "' does not exist.", "model"));
    });
  }

  private io.vertx.core.Future<JsonObject> models(RoutingContext ctx) {
    Principal principal = KeyAuthenticator.principal(ctx);
    JsonObject request = principal == null ? new JsonObject()
        : new JsonObject().put("scope", new JsonArray(principal.models()));
    return bus.<JsonObject>request(CatalogBus.MODELS, request)
        .map(reply -> reply.body())
        .onFailure(failure -> ctx.fail(GatewayException.of(failure)));
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
