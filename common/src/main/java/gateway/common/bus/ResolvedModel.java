package gateway.common.bus;

import gateway.common.money.MediaPrice;
import gateway.common.money.Price;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The reply of {@code catalog.resolve}: what the requested name means, what it costs and
 * the routes that can serve it, lowest priority first.
 *
 * @param mediaPrice what an image or a video second costs (image and video models)
 * @param options    the model's allow-lists as the catalog names them ({@code available_sizes},
 *                   {@code available_qualities}, {@code max_n}, {@code available_resolutions},
 *                   {@code available_ratios}, {@code available_durations}); empty when it has none
 */
public record ResolvedModel(String alias, String type, Integer contextLength, Integer maxOutputTokens,
                            Price price, List<Route> routes, MediaPrice mediaPrice, JsonObject options) {
  /** The allow-list fields a model may name. */
  public static final List<String> OPTION_FIELDS = List.of("available_sizes", "available_qualities", "max_n",
      "available_resolutions", "available_ratios", "available_durations");

  public ResolvedModel {
    routes = List.copyOf(routes);
    mediaPrice = mediaPrice == null ? MediaPrice.NONE : mediaPrice;
    options = options == null ? new JsonObject() : options.copy();
  }

  /** A model priced by tokens alone, without allow-lists. */
  public ResolvedModel(String alias, String type, Integer contextLength, Integer maxOutputTokens, Price price,
                       List<Route> routes) {
    this(alias, type, contextLength, maxOutputTokens, price, routes, MediaPrice.NONE, new JsonObject());
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
        .put("media_price", mediaPrice.toJson())
        .put("options", options)
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
        routes,
        MediaPrice.fromJson(json.getJsonObject("media_price")),
        json.getJsonObject("options"));
  }
}
