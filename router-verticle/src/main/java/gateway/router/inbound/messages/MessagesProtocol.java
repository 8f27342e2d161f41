package gateway.router.inbound.messages;

import gateway.common.money.Credits;
import gateway.router.exchange.ChunkWriter;
import gateway.router.exchange.NativeStreams;
import gateway.router.exchange.Priced;
import gateway.router.exchange.TranslatedAnswers;
import gateway.router.exchange.TokenCounter;
import gateway.router.edge.ErrorResponses;
import gateway.router.provider.ApiFormat;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.anthropic.AnthropicUsage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Clients of {@code POST /v1/messages}: answers in Anthropic's Messages format, whatever the route spoke. */
final class MessagesProtocol implements TranslatedAnswers, NativeStreams {
  /** Anthropic's own error types, kept when a provider's in-stream error already has one (Claude Code retries overloads). */
  private static final Set<String> ANTHROPIC_ERROR_TYPES = Set.of(
      "invalid_request_error", "authentication_error", "billing_error", "permission_error", "not_found_error",
      "request_too_large", "rate_limit_error", "api_error", "timeout_error", "overloaded_error");

  private final String alias;
  private final JsonObject chatRequest;
  private final Vertx vertx;

  /** @param chatRequest the request in the chat shape, whose prompt a translated stream's {@code message_start} counts */
  MessagesProtocol(String alias, JsonObject chatRequest, Vertx vertx) {
    this.alias = alias;
    this.chatRequest = chatRequest;
    this.vertx = vertx;
  }

  @Override
  public ApiFormat format() {
    return ApiFormat.MESSAGES;
  }

  @Override
  public ChunkWriter streamWriter(HttpServerResponse out) {
    // Only translated streams write their own message_start: count the prompt off the event loop.
    Future<Long> promptTokens = vertx.executeBlocking(() -> TokenCounter.load().promptTokens(chatRequest), false);
    return new ChatToMessagesStream(out, alias, promptTokens);
  }

  @Override
  public JsonObject answer(JsonObject completion, Priced priced) {
    return ChatToMessagesResponse.from(completion, priced);
  }

  @Override
  public ChunkWriter nativeStreamWriter(HttpServerResponse out) {
    return new MessagesEventWriter(out, alias);
  }

  @Override
  public JsonObject nativeAnswer(JsonObject message, Priced priced) {
    message.put("model", alias);
    JsonObject usage = message.getValue("usage") instanceof JsonObject u ? u : AnthropicUsage.toAnthropic(priced.usage());
    return message.put("usage", usage.put("cost", Credits.fromMicros(priced.costMicros())));
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
