package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * A provider endpoint the router can send to. {@code settings} holds the optional knobs
 * (timeouts, breaker, limits, extra headers) so new ones need no contract change.
 * The api key travels only on the bus, never in a reply to an HTTP client.
 */
public record Channel(String name, String type, String baseUrl, String apiKey, int priority, int weight,
                      boolean streamOnly, String wireApi, JsonObject settings) {
  public static final String WIRE_CHAT = "chat";
  public static final String WIRE_RESPONSES = "responses";

  public Channel {
    settings = settings == null ? new JsonObject() : settings;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("type", type)
        .put("base_url", baseUrl)
        .put("api_key", apiKey)
        .put("priority", priority)
        .put("weight", weight)
        .put("stream_only", streamOnly)
        .put("wire_api", wireApi)
        .put("settings", settings);
  }

  public static Channel fromJson(JsonObject json) {
    return new Channel(
        json.getString("name"),
        json.getString("type"),
        json.getString("base_url"),
        json.getString("api_key"),
        json.getInteger("priority", 0),
        json.getInteger("weight", 1),
        json.getBoolean("stream_only", false),
        json.getString("wire_api", WIRE_CHAT),
        json.getJsonObject("settings"));
  }
}
