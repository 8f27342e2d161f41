package gateway.router.inbound.messages;

import gateway.common.money.Credits;
import gateway.router.exchange.ChunkWriter;
import gateway.router.inbound.chat.OpenAiChunkWriter;
import gateway.router.exchange.Priced;
import gateway.router.inbound.SseFrames;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.anthropic.AnthropicUsage;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * An Anthropic stream passed through to a Messages client event for event, as Anthropic sent it:
 * only {@code message_start}'s model becomes the alias, and the final {@code message_delta} is held
 * until the stream completes so that its usage can carry the request's {@code cost}.
 */
final class MessagesEventWriter implements ChunkWriter {
  private final HttpServerResponse out;
  private final String alias;
  private JsonObject messageDelta;

  MessagesEventWriter(HttpServerResponse out, String alias) {
    this.out = out;
    this.alias = alias;
  }

  @Override
  public void begin() {
    OpenAiChunkWriter.beginEventStream(out);
  }

  @Override
  public void chunk(JsonObject event) {
    switch (event.getString("type", "")) {
      case "message_start" -> {
        if (event.getValue("message") instanceof JsonObject message) {
          message.put("model", alias);
        }
        write(event);
      }
      case "message_delta" -> messageDelta = event;
      case "message_stop" -> { } // written by complete(), after the priced message_delta
      default -> write(event);
    }
  }

  @Override
  public void complete(Priced priced, JsonObject upstreamUsage) {
    JsonObject delta = messageDelta != null ? messageDelta : new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", "end_turn").putNull("stop_sequence"));
    JsonObject usage = delta.getValue("usage") instanceof JsonObject u ? u : AnthropicUsage.toAnthropic(priced.usage());
    delta.put("usage", usage.put("cost", Credits.fromMicros(priced.costMicros())));
    write(delta);
    write(new JsonObject().put("type", "message_stop"));
    out.end();
  }

  @Override
  public void fail(UpstreamError error) {
    write(MessagesProtocol.errorEvent(error));
    out.end();
  }

  private void write(JsonObject event) {
    out.write(SseFrames.event(event));
  }
}
