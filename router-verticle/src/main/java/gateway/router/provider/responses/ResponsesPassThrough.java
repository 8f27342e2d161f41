package gateway.router.provider.responses;

import gateway.router.provider.ChannelHeaders;
import gateway.common.bus.Route;
import gateway.common.money.Usage;
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
 * OpenAI Responses relayed untranslated to a {@code wire_api: responses} channel: the client's
 * request goes to {@code {base_url}/responses} as it came, and every event comes back as it was
 * sent. The usage is read from the final {@code response.completed} (Responses always reports it).
 */
final class ResponsesPassThrough implements PassThrough {
  static final String PATH = "/responses";

  /** Events that open the answer without content: held back so a failure right after them can still fall back. */
  private static final Set<String> LIFECYCLE = Set.of(
      "response.created", "response.in_progress", "response.queued", "response.content_part.added",
      "response.reasoning_summary_part.added");

  /** Output items that open without content (their text follows in deltas). */
  private static final Set<String> CONTENTLESS_ITEMS = Set.of("message", "reasoning");

  /** The events that end a response as the client sees it; {@code response.failed} is an error. */
  static final Set<String> TERMINAL = Set.of("response.completed", "response.incomplete");

  @Override
  public UpstreamRequest request(JsonObject clientBody, Route route, boolean stream, Map<String, String> clientHeaders) {
    OperatorBilledFeatures.checkResponses(clientBody, route.channel());
    JsonObject body = clientBody.copy();
    if (stream) {
      body.put("stream", true);
    } else {
      body.remove("stream");
      body.remove("stream_options");
    }
    return new UpstreamRequest(route.channel().baseUrl() + PATH, ChannelHeaders.of(route.channel(), stream),
        body.toBuffer());
  }

  @Override
  public Completion completion(Buffer body) {
    JsonObject response = Json.objectOrNull(body);
    if (response == null || !(response.getValue("output") instanceof JsonArray)) {
      throw new IllegalArgumentException("not a Responses response: " + Json.quote(body));
    }
    return new Completion(response, ResponsesUsage.from(response.getJsonObject("usage")));
  }

  @Override
  public StreamTranslator streamTranslator() {
    return new EventStream();
  }

  @Override
  public ChunkAggregator aggregator() {
    return new ChunkAggregator() {
      private JsonObject response;

      @Override
      public void accept(JsonObject event) {
        if (TERMINAL.contains(event.getString("type")) && event.getValue("response") instanceof JsonObject r) {
          response = r;
        }
      }

      @Override
      public JsonObject completion() {
        return response;
      }
    };
  }

  @Override
  public CharSequence outputText(JsonObject response) {
    StringBuilder text = new StringBuilder();
    for (Object entry : response.getJsonArray("output", new JsonArray())) {
      if (entry instanceof JsonObject item) {
        appendStrings(text, item, "name", "arguments", "input");
        for (String list : new String[] {"content", "summary"}) {
          if (item.getValue(list) instanceof JsonArray parts) {
            parts.forEach(p -> {
              if (p instanceof JsonObject part) {
                appendStrings(text, part, "text", "refusal");
              }
            });
          }
        }
      }
    }
    return text;
  }

  private static void appendStrings(StringBuilder to, JsonObject object, String... fields) {
    for (String field : fields) {
      if (object.getValue(field) instanceof String s) {
        to.append(s);
      }
    }
  }

  /** The provider's events as they came, each its JSON with its {@code type}. */
  static final class EventStream implements StreamTranslator {
    private Usage usage;
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
      String type = data.getString("type", "");
      switch (type) {
        case "response.failed" -> error = failure(data.getJsonObject("response", new JsonObject())
            .getJsonObject("error", new JsonObject()));
        case "error" -> error = failure(data);
        default -> {
          if (TERMINAL.contains(type)) {
            usage = ResponsesUsage.from(data.getJsonObject("response", new JsonObject()).getJsonObject("usage"));
            completed = true;
          }
          out.accept(data);
        }
      }
    }

    @Override
    public boolean completed() {
      return completed;
    }

    @Override
    public Usage usage() {
      return usage;
    }

    @Override
    public UpstreamError error() {
      return error;
    }

    @Override
    public boolean carriesContent(JsonObject event) {
      String type = event.getString("type", "");
      if (type.equals("response.output_item.added")) {
        return !CONTENTLESS_ITEMS.contains(event.getJsonObject("item", new JsonObject()).getString("type"));
      }
      return !LIFECYCLE.contains(type);
    }

    @Override
    public boolean reachesClient(JsonObject event) {
      return true;
    }

    @Override
    public void appendOutput(JsonObject event, StringBuilder output) {
      String type = event.getString("type", "");
      if (type.endsWith(".delta") && event.getValue("delta") instanceof String delta) {
        output.append(delta);
      } else if (type.equals("response.output_item.added")
          && event.getJsonObject("item", new JsonObject()).getValue("name") instanceof String name) {
        output.append(name);
      }
    }

    private static UpstreamError failure(JsonObject error) {
      String message = error.getString("message", "the upstream stream reported an error");
      Object code = error.getValue("code");
      return UpstreamError.transport(code == null ? message : code + ": " + message);
    }
  }
}
