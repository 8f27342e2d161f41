package gateway.router.inbound.responses;

import gateway.common.money.Credits;
import gateway.router.exchange.ChunkWriter;
import gateway.router.inbound.chat.OpenAiChunkWriter;
import gateway.router.exchange.Priced;
import gateway.router.inbound.SseFrames;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.responses.ResponsesUsage;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * An OpenAI Responses stream passed through to a Responses client event for event, as OpenAI sent
 * it: only the model of each event's {@code response} becomes the alias, and the final
 * {@code response.completed} (or {@code .incomplete}) is held until the stream completes so that
 * its usage can carry the request's {@code cost}. A stream broken after content ends with a
 * {@code response.failed} of the gateway's, numbered after the last event the client got.
 */
final class ResponsesEventWriter implements ChunkWriter {
  private static final Set<String> TERMINAL = Set.of("response.completed", "response.incomplete");

  private final HttpServerResponse out;
  private final JsonObject request;
  private final String alias;
  private JsonObject lastResponse;
  private JsonObject terminal;
  private long lastSequence = -1;

  ResponsesEventWriter(HttpServerResponse out, JsonObject request, String alias) {
    this.out = out;
    this.request = request;
    this.alias = alias;
  }

  @Override
  public void begin() {
    OpenAiChunkWriter.beginEventStream(out);
  }

  @Override
  public void chunk(JsonObject event) {
    if (event.getValue("response") instanceof JsonObject response) {
      response.put("model", alias);
      lastResponse = response;
    }
    if (event.getValue("sequence_number") instanceof Number n) {
      lastSequence = n.longValue();
    }
    if (TERMINAL.contains(event.getString("type"))) {
      terminal = event;
      return;
    }
    out.write(SseFrames.event(event));
  }

  @Override
  public void complete(Priced priced, JsonObject upstreamUsage) {
    JsonObject event = terminal != null ? terminal : new JsonObject().put("type", "response.completed");
    if (!(event.getValue("response") instanceof JsonObject)) {
      event.put("response", response().put("status", "completed"));
    }
    JsonObject response = event.getJsonObject("response");
    JsonObject usage = response.getValue("usage") instanceof JsonObject u ? u : ResponsesUsage.toResponses(priced.usage());
    response.put("usage", usage.put("cost", Credits.fromMicros(priced.costMicros())));
    out.write(SseFrames.event(event));
    out.end();
  }

  @Override
  public void fail(UpstreamError error) {
    JsonObject failed = new JsonObject().put("type", "response.failed").put("sequence_number", lastSequence + 1)
        .put("response", ResponsesProtocol.failed(response(), error));
    out.write(SseFrames.event(failed));
    out.end();
  }

  /** The last response object the provider sent, or one of the gateway's when it sent none. */
  private JsonObject response() {
    return lastResponse != null ? lastResponse.copy()
        : ResponseObjects.response(request, ResponseObjects.id("resp_"), System.currentTimeMillis() / 1000, alias,
            "in_progress");
  }
}
