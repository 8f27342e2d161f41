package gateway.common.bus;

import gateway.common.money.RouteCost;
import io.vertx.core.json.JsonObject;

/**
 * One way to serve a model: a channel and the model name that channel knows it by.
 *
 * @param cost what the provider charges for it, or null when the catalog names no cost (unknown)
 */
public record Route(Channel channel, String upstreamModel, int priority, int weight, RouteCost cost) {

  /** A route whose upstream cost is unknown. */
  public Route(Channel channel, String upstreamModel, int priority, int weight) {
    this(channel, upstreamModel, priority, weight, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("channel", channel.toJson())
        .put("model", upstreamModel)
        .put("priority", priority)
        .put("weight", weight);
    return cost == null ? json : json.put("cost", cost.toJson());
  }

  public static Route fromJson(JsonObject json) {
    return new Route(
        Channel.fromJson(json.getJsonObject("channel")),
        json.getString("model"),
        json.getInteger("priority", 0),
        json.getInteger("weight", 1),
        RouteCost.fromJson(json.getJsonObject("cost")));
  }
}
