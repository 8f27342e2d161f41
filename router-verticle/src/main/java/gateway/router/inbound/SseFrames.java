package gateway.router.inbound;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Server-sent events named by their type, as Anthropic Messages and OpenAI Responses stream them:
 * {@code event: <type>}, then the JSON on one {@code data:} line, then a blank line.
 */
public final class SseFrames {
  private SseFrames() {
  }

  /** The event named by the data's own {@code type}. */
  public static Buffer event(JsonObject data) {
    return event(data.getString("type", "message"), data);
  }

  public static Buffer event(String type, JsonObject data) {
    return Buffer.buffer(256).appendString("event: ").appendString(type).appendString("\ndata: ")
        .appendBuffer(data.toBuffer()).appendString("\n\n");
  }
}
