package gateway.router.provider;

import gateway.common.bus.Channel;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/** Request headers of OpenAI-style hosts: the channel's key as a Bearer token, plus the channel's extra headers. */
public final class ChannelHeaders {
  private ChannelHeaders() {
  }

  public static MultiMap of(Channel channel, boolean stream) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("content-type", "application/json")
        .add("accept", stream ? "text/event-stream" : "application/json");
    if (channel.apiKey() != null && !channel.apiKey().isEmpty()) {
      headers.add("authorization", "Bearer " + channel.apiKey());
    }
    addChannelHeaders(channel, headers);
    return headers;
  }

  /** {@code settings.headers} of a channel: extra headers some hosts need (organization, project, ...). */
  public static void addChannelHeaders(Channel channel, MultiMap headers) {
    if (channel.settings().getValue("headers") instanceof JsonObject extra) {
      extra.forEach(e -> headers.set(e.getKey(), String.valueOf(e.getValue())));
    }
  }
}
