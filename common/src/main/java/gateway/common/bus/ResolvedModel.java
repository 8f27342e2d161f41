package gateway.common.bus;

import gateway.common.money.Price;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The reply of {@code catalog.resolve}: what the requested name means, what it costs and
 * the routes that can serve it, lowest priority first.
 */
public record ResolvedModel(String alias, String type, Integer contextLength, Integer maxOutputTokens,
                            Price price, List<Route> routes) {

  public ResolvedModel {
    routes = List.copyOf(routes);
  }

  public JsonObject toJson() {
    JsonArray routeArray = new JsonArray();
    routes.forEach(r -> routeArray.add(r.toJson()));
    return new JsonObject()
        .put("alias", alias)
        .put("type", type)
        .put("context_length", contextLength)
        .put("max_output_tokens", maxOutputTokens)
        .put("price", price.toJson())
        .put("routes", routeArray);
  }

  public static ResolvedModel fromJson(JsonObject json) {
    List<Route> routes = new ArrayList<>();
    for (Object r : json.getJsonArray("routes", new JsonArray())) {
      routes.add(Route.fromJson((JsonObject) r));
    }
    return new ResolvedModel(
        json.getString("alias"),
        json.getString("type"),
        json.getInteger("context_length"),
        json.getInteger("max_output_tokens"),
        Price.fromJson(json.getJsonObject("price")),
        routes);
  }
}
