package gateway.router.inbound.responses;

import gateway.common.money.Credits;
import gateway.router.exchange.ChunkWriter;
import gateway.router.exchange.NativeStreams;
import gateway.router.exchange.Priced;
import gateway.router.exchange.TranslatedAnswers;
import gateway.router.provider.ApiFormat;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.responses.ResponsesUsage;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Clients of {@code POST /v1/responses}: answers in OpenAI's Responses format, whatever the route spoke. */
final class ResponsesProtocol implements TranslatedAnswers, NativeStreams {
  private final JsonObject request;
  private final String alias;

  ResponsesProtocol(JsonObject request, String alias) {
    this.request = request;
    this.alias = alias;
  }

  @Override
  public ApiFormat format() {
    return ApiFormat.RESPONSES;
  }

  @Override
  public ChunkWriter streamWriter(HttpServerResponse out) {
    return new ChatToResponsesStream(out, request, alias);
  }

  @Override
  public JsonObject answer(JsonObject completion, Priced priced) {
    return ChatToResponsesResponse.from(completion, request, priced);
  }

  @Override
  public ChunkWriter nativeStreamWriter(HttpServerResponse out) {
    return new ResponsesEventWriter(out, request, alias);
  }

  @Override
  public JsonObject nativeAnswer(JsonObject response, Priced priced) {
    response.put("model", alias);
    JsonObject usage = response.getValue("usage") instanceof JsonObject u ? u : ResponsesUsage.toResponses(priced.usage());
    return response.put("usage", usage.put("cost", Credits.fromMicros(priced.costMicros())));
  }

  /** A response that failed after part of it reached the client, as {@code response.failed} carries it. */
  static JsonObject failed(JsonObject response, UpstreamError error) {
    return response.put("status", "failed").putNull("usage").put("error", new JsonObject()
        .put("code", "server_error")
        .put("message", "The upstream stream broke off: " + error.clientMessage()));
  }
}
