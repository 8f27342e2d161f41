package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/** One way to serve a model: a channel and the model name that channel knows it by. */
public record Route(Channel channel, String upstreamModel, int priority, int weight) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("channel", channel.toJson())
        .put("model", upstreamModel)
        .put("priority", priority)
        .put("weight", weight);
  }

  public static Route fromJson(JsonObject json) {
    return new Route(
        Channel.fromJson(json.getJsonObject("channel")),
        json.getString("model"),
        json.getInteger("priority", 0),
        json.getInteger("weight", 1));
  }
}
