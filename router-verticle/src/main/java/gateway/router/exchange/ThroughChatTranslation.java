package gateway.router.exchange;

import gateway.common.GatewayError;
import gateway.common.bus.Route;
import gateway.common.money.Credits;
import gateway.router.provider.ApiFormat;
import gateway.router.provider.ChunkAggregator;
import gateway.router.provider.Completion;
import gateway.router.provider.ProviderAdapter;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.chatshape.ChatCompletionAggregator;
import gateway.router.provider.chatshape.ChatUsage;
import gateway.router.provider.chatshape.ScannedAnswer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import gateway.router.provider.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The call in the OpenAI chat shape goes to the route's adapter, which speaks its provider's
 * protocol; the answer comes back in the chat shape and the client's protocol writes it in the
 * client's format.
 */
final class ThroughChatTranslation implements Translation {
  private final ClientCall call;
  private final TranslatedAnswers protocol;
  private final ProviderAdapter adapter;

  ThroughChatTranslation(ClientCall call, TranslatedAnswers protocol, ProviderAdapter adapter) {
    this.call = call;
    this.protocol = protocol;
    this.adapter = adapter;
  }

  @Override
  public UpstreamRequest upstreamRequest(Route route, boolean stream, int outputLimit) {
    if (!(call.chat() instanceof ChatForm.Chat chat)) {
      throw GatewayError.INVALID_VALUE.exception("The channel '" + route.channel().name() + "' serving '"
          + call.model() + "' does not speak this API, and the request cannot be translated for it: "
          + ((ChatForm.None) call.chat()).reason());
    }
    JsonObject body = ApiFormat.CHAT_COMPLETIONS.withOutputLimit(chat.forUpstream(route.upstreamModel()), outputLimit);
    return adapter.chatRequest(body, route, stream);
  }

  @Override
  public Completion completion(Buffer body) {
    return adapter.completion(body);
  }

  @Override
  public ScannedAnswer scanned(Buffer body) {
    return protocol.takesScanned() ? adapter.scanCompletion(body) : null;
  }

  @Override
  public StreamTranslator streamTranslator() {
    return adapter.streamTranslator();
  }

  @Override
  public ChunkAggregator aggregator() {
    return new ChatCompletionAggregator();
  }

  @Override
  public ChunkWriter streamWriter(HttpServerResponse out) {
    return protocol.streamWriter(out);
  }

  @Override
  public CharSequence outputText(JsonObject completion) {
    StringBuilder text = new StringBuilder();
    for (Object item : completion.getJsonArray("choices", new JsonArray())) {
      if (item instanceof JsonObject choice && choice.getValue("message") instanceof JsonObject message) {
        if (message.getValue("content") instanceof String content) {
          text.append(content);
        }
        if (message.getValue("tool_calls") instanceof JsonArray calls) {
          text.append(calls.encode());
        }
      }
    }
    return text;
  }

  @Override
  public JsonObject answer(JsonObject completion, Priced priced) {
    completion.put("model", call.model());
    JsonObject usage = completion.getValue("usage") instanceof JsonObject u ? u : ChatUsage.toChat(priced.usage());
    completion.put("usage", usage.put("cost", Credits.fromMicros(priced.costMicros())));
    return protocol.answer(completion, priced);
  }

  /** As {@link #answer(JsonObject, Priced)}: the alias as {@code model}, the cost in the usage, written as the encoder would. */
  @Override
  public Buffer answer(ScannedAnswer completion, Priced priced) {
    return completion.forClient(Json.encodeString(call.model()), Credits.fromMicros(priced.costMicros()).toString());
  }
}
