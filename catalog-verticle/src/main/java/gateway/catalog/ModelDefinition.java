package gateway.catalog;

import gateway.catalog.ChannelDefinition.Fields;
import gateway.common.GatewayError;
import gateway.common.bus.ResolvedModel;
import gateway.common.money.MediaPrice;
import gateway.common.money.Price;
import gateway.common.money.RouteCost;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model as the admin API and the catalog file write it. Fields without a column of
 * their own (allow-lists such as available_sizes, description, owned_by, {@code free}) are kept in
 * {@code extra} and shown in {@code /v1/models}. A billable model names its price or is marked
 * {@code free: true}: token prices for llm and embedding models, {@code per_image} for image models
 * and {@code per_second} for video models (see {@link MediaOptions}).
 */
record ModelDefinition(String alias, String type, Integer contextLength, Integer maxOutputTokens, Price price,
                       MediaPrice mediaPrice, boolean enabled, boolean listed, JsonObject extra,
                       List<RouteDefinition> routes) {
  static final Set<String> TYPES = Set.of("llm", "text2image", "text2video", "embedding");
  /** The prices a billable type must name: embeddings are charged for their input only. */
  private static final Map<String, List<String>> PRICED_FIELDS = Map.of(
      "llm", List.of("input_per_mtok", "output_per_mtok"),
      "embedding", List.of("input_per_mtok"));
  private static final Set<String> COLUMNS = Set.of(
      "alias", "type", "context_length", "max_output_tokens", "price", "enabled", "listed", "routes");

  /**
   * One entry of {@code routes}: null fields take the channel's values.
   *
   * @param cost what the provider charges for it (the {@code cost} field, shaped as the model's {@code price});
   *             null when not given: the upstream cost is unknown
   */
  record RouteDefinition(String channel, String upstreamModel, Integer priority, Integer weight, RouteCost cost) {
  }

  static ModelDefinition parse(String alias, JsonObject json) {
    Fields f = new Fields(json, "model '" + alias + "'");
    String type = f.optionalString("type", "llm");
    if (!TYPES.contains(type)) {
      throw f.invalid("type", "must be one of llm, text2image, text2video, embedding");
    }
    JsonObject extra = new JsonObject();
    json.forEach(entry -> {
      if (!COLUMNS.contains(entry.getKey())) {
        extra.put(entry.getKey(), entry.getValue());
      }
    });
    Price price = MediaOptions.isMedia(type) ? Price.FREE : price(f, type, json);
    MediaPrice mediaPrice = MediaOptions.isMedia(type) ? MediaOptions.price(f, type, json, extra) : MediaPrice.NONE;
    return new ModelDefinition(alias, type, positive(f, "context_length"), positive(f, "max_output_tokens"), price,
        mediaPrice, f.optionalBoolean("enabled", true), f.optionalBoolean("listed", true), extra, routes(f, type, json));
  }

  /** The allow-lists the router checks requests against: the {@link ResolvedModel#OPTION_FIELDS} this model names. */
  JsonObject options() {
    JsonObject options = new JsonObject();
    for (String field : ResolvedModel.OPTION_FIELDS) {
      if (extra.getValue(field) != null) {
        options.put(field, extra.getValue(field));
      }
    }
    return options;
  }

  /**
   * A billable model (llm, embedding) must name its price, or say {@code free: true}: a missing
   * price never makes a model free by accident, on a PUT that leaves it out or in a catalog file.
   */
  private static Price price(Fields f, String type, JsonObject json) {
    boolean free = f.optionalBoolean("free", false);
    Object value = json.getValue("price");
    if (value == null) {
      if (free || !PRICED_FIELDS.containsKey(type)) {
        return Price.FREE;
      }
      throw GatewayError.MISSING_FIELD.exception(f.what() + ": 'price' is required ("
          + String.join(" and ", PRICED_FIELDS.get(type)) + " in credits per million tokens); a model that costs"
          + " nothing says 'free: true'", "price");
    }
    if (free) {
      throw f.invalid("price", "cannot be given for a model marked 'free: true'");
    }
    return tokenPrices(f, "price", type, value, "a model that costs nothing says 'free: true'");
  }

  /** The token prices of {@code field} ({@code price}, or a route's {@code cost}); a 400 naming the field. */
  private static Price tokenPrices(Fields f, String field, String type, Object value, String hint) {
    if (!(value instanceof JsonObject prices)) {
      throw f.invalid(field, "must be an object such as {input_per_mtok: 15, output_per_mtok: 60}");
    }
    for (String part : PRICED_FIELDS.getOrDefault(type, List.of())) {
      if (prices.getValue(part) == null) {
        throw GatewayError.MISSING_FIELD.exception(f.what() + ": '" + field + "." + part + "' is required (credits"
            + " per million tokens; 0 is a price, " + hint + ")", field);
      }
    }
    try {
      return Price.fromCreditsJson(prices);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw f.invalid(field, "must map input_per_mtok, output_per_mtok, cache_read_per_mtok, cache_write_per_mtok "
          + "to credits per million tokens (at most 6 decimals, not negative)");
    }
  }

  /** A route's {@code cost}: null when not given; for image and video routes per_image / per_second as in price. */
  private static RouteCost cost(Fields r, String type, Object value) {
    if (value == null) {
      return null;
    }
    if (!MediaOptions.isMedia(type)) {
      return new RouteCost(tokenPrices(r, "cost", type, value, "a route that costs nothing upstream says 0"), null);
    }
    String field = MediaOptions.IMAGE.equals(type) ? "per_image" : "per_second";
    if (!(value instanceof JsonObject prices) || prices.getValue(field) == null) {
      throw GatewayError.MISSING_FIELD.exception(r.what() + ": 'cost." + field + "' is required (credits per "
          + (MediaOptions.IMAGE.equals(type) ? "image by size" : "second by resolution") + ")", "cost");
    }
    try {
      return new RouteCost(null, MediaPrice.fromCreditsJson(prices));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw r.invalid("cost", e.getMessage());
    }
  }

  private static Integer positive(Fields f, String field) {
    Integer value = f.optionalInteger(field);
    if (value != null && value <= 0) {
      throw f.invalid(field, "must be greater than zero");
    }
    return value;
  }

  private static List<RouteDefinition> routes(Fields f, String type, JsonObject json) {
    Object value = json.getValue("routes");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw f.invalid("routes", "must be a list of {channel, model?, priority?, weight?, cost?}");
    }
    List<RouteDefinition> routes = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject route)) {
        throw f.invalid("routes", "must be a list of {channel, model?, priority?, weight?, cost?}");
      }
      Fields r = new Fields(route, f.what() + " route");
      Integer weight = r.optionalInteger("weight");
      if (weight != null && weight < 0) {
        throw GatewayError.INVALID_VALUE.exception(f.what() + ": a route's weight cannot be negative", "routes");
      }
      String channel = r.requiredString("channel");
      RouteCost cost = cost(new Fields(route, f.what() + " route to '" + channel + "'"), type, route.getValue("cost"));
      routes.add(new RouteDefinition(channel, r.optionalString("model", null), r.optionalInteger("priority"), weight,
          cost));
    }
    return routes;
  }
}
