package gateway.router.inbound.messages;

import gateway.common.money.Credits;
import gateway.router.chat.ChunkWriter;
import gateway.router.chat.ClientProtocol;
import gateway.router.chat.Priced;
import gateway.router.edge.ErrorResponses;
import gateway.router.provider.ApiFormat;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.anthropic.AnthropicUsage;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Clients of {@code POST /v1/messages}: answers in Anthropic's Messages format, whatever the route spoke. */
final class MessagesProtocol implements ClientProtocol {
  /** Anthropic's own error types, kept when a provider's in-stream error already has one (Claude Code retries overloads). */
  private static final Set<String> ANTHROPIC_ERROR_TYPES = Set.of(
      "invalid_request_error", "authentication_error", "billing_error", "permission_error", "not_found_error",
      "request_too_large", "rate_limit_error", "api_error", "timeout_error", "overloaded_error");

  private final String alias;

  MessagesProtocol(String alias) {
    this.alias = alias;
  }

  @Override
  public ApiFormat format() {
    return ApiFormat.MESSAGES;
  }

  @Override
  public ChunkWriter streamWriter(HttpServerResponse out) {
    return new ChatToMessagesStream(out, alias);
  }

  @Override
  public void respond(HttpServerResponse out, JsonObject completion, Priced priced) {
    out.putHeader("content-type", "application/json").end(ChatToMessagesResponse.from(completion, priced).toBuffer());
  }

  @Override
  public ChunkWriter passThroughWriter(HttpServerResponse out) {
    return new MessagesEventWriter(out, alias);
  }

  @Override
  public void respondPassThrough(HttpServerResponse out, JsonObject message, Priced priced) {
    message.put("model", alias);
    JsonObject usage = message.getValue("usage") instanceof JsonObject u ? u : AnthropicUsage.toAnthropic(priced.usage());
    message.put("usage", usage.put("cost", Credits.fromMicros(priced.costMicros())));
    out.putHeader("content-type", "application/json").end(message.toBuffer());
  }

  /** The {@code event: error} that ends a stream broken after content, in Anthropic's error shape. */
  static JsonObject errorEvent(UpstreamError error) {
    JsonObject event = ErrorResponses.anthropicBody(error.status() == 0 ? 500 : error.status(), error.type(),
        "The upstream stream broke off: " + error.clientMessage());
    if (error.type() != null && ANTHROPIC_ERROR_TYPES.contains(error.type())) {
      event.getJsonObject("error").put("type", error.type());
    }
    return event;
  }
}
