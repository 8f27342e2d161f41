package gateway.router.provider.anthropic;

import gateway.common.bus.Route;
import gateway.common.money.Usage;
import gateway.router.provider.ChannelAllowances;
import gateway.router.provider.ChunkAggregator;
import gateway.router.provider.Completion;
import gateway.router.provider.Json;
import gateway.router.provider.OperatorBilledFeatures;
import gateway.router.provider.PassThrough;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.UpstreamRequest;
import gateway.router.sse.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Anthropic Messages relayed untranslated to an Anthropic channel: the client's body (thinking
 * blocks with their signatures, {@code cache_control} breakpoints, server tools and all) goes to
 * {@code {base_url}/messages}, and every event comes back as Anthropic sent it. The usage is read
 * from {@code message_start} and the cumulative {@code message_delta}s, as for a translated stream.
 */
final class AnthropicPassThrough implements PassThrough {

  /** Content blocks that open empty (their text follows in deltas); any other block is content from its start. */
  private static final Set<String> EMPTY_BLOCKS = Set.of("text", "thinking");

  @Override
  public UpstreamRequest request(JsonObject clientBody, Route route, boolean stream, Map<String, String> clientHeaders) {
    OperatorBilledFeatures.checkAnthropic(clientBody, route.channel());
    JsonObject body = clientBody.copy();
    if (stream) {
      body.put("stream", true);
    } else {
      body.remove("stream");
    }
    return new UpstreamRequest(route.channel().baseUrl() + AnthropicAdapter.PATH,
        AnthropicAdapter.headers(route.channel(), stream, ChannelAllowances.of(route.channel()).forwardable(clientHeaders)),
        body.toBuffer());
  }

  @Override
  public Completion completion(Buffer body) {
    JsonObject message = Json.objectOrNull(body);
    if (message == null || !(message.getValue("content") instanceof JsonArray)) {
      throw new IllegalArgumentException("not an Anthropic message: " + Json.quote(body));
    }
    return new Completion(message, AnthropicUsage.from(message.getJsonObject("usage")));
  }

  @Override
  public StreamTranslator streamTranslator() {
    return new EventStream();
  }

  @Override
  public ChunkAggregator aggregator() {
    return new AnthropicMessageAggregator();
  }

  @Override
  public CharSequence outputText(JsonObject message) {
    StringBuilder text = new StringBuilder();
    for (Object item : message.getJsonArray("content", new JsonArray())) {
      if (item instanceof JsonObject block) {
        for (String field : new String[] {"text", "thinking", "name"}) {
          if (block.getValue(field) instanceof String s) {
            text.append(s);
          }
        }
        if (block.getValue("input") instanceof JsonObject input) {
          text.append(input.encode());
        }
      }
    }
    return text;
  }

  /** The provider's events as they came, each its JSON with its {@code type}; usage merged as it is reported. */
  static final class EventStream implements StreamTranslator {
    private JsonObject usage;
    private boolean completed;
    private UpstreamError error;

    @Override
    public void accept(SseEvent event, Consumer<JsonObject> out) {
      JsonObject data = Json.objectOrNull(event.data());
      if (data == null) {
        return;
      }
      if (!data.containsKey("type") && event.type() != null) {
        data.put("type", event.type());
      }
      switch (data.getString("type", "")) {
        case "error" -> {
          error = AnthropicErrors.inStream(data);
          return;
        }
        case "message_start" -> usage = AnthropicUsage.merge(usage,
            data.getJsonObject("message", new JsonObject()).getJsonObject("usage"));
        case "message_delta" -> usage = AnthropicUsage.merge(usage, data.getJsonObject("usage"));
        case "message_stop" -> completed = true;
        default -> { }
      }
      out.accept(data);
    }

    @Override
    public boolean completed() {
      return completed;
    }

    @Override
    public Usage usage() {
      return AnthropicUsage.from(usage);
    }

    @Override
    public UpstreamError error() {
      return error;
    }

    @Override
    public boolean carriesContent(JsonObject event) {
      return switch (event.getString("type", "")) {
        case "content_block_delta" -> true;
        case "content_block_start" -> !EMPTY_BLOCKS.contains(
            event.getJsonObject("content_block", new JsonObject()).getString("type"));
        default -> false;
      };
    }

    @Override
    public boolean reachesClient(JsonObject event) {
      return true;
    }

    @Override
    public void appendOutput(JsonObject event, StringBuilder output) {
      JsonObject part = switch (event.getString("type", "")) {
        case "content_block_delta" -> event.getJsonObject("delta", new JsonObject());
        case "content_block_start" -> event.getJsonObject("content_block", new JsonObject());
        default -> null;
      };
      if (part != null) {
        for (String field : new String[] {"text", "thinking", "partial_json", "name"}) {
          if (part.getValue(field) instanceof String s) {
            output.append(s);
          }
        }
      }
    }
  }
}
