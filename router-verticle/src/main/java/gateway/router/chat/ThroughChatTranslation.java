package gateway.router.chat;

import gateway.common.GatewayError;
import gateway.common.bus.Route;
import gateway.common.money.Credits;
import gateway.router.provider.ApiFormat;
import gateway.router.provider.ChunkAggregator;
import gateway.router.provider.Completion;
import gateway.router.provider.ProviderAdapter;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.openai.OpenAiUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The request in the OpenAI chat shape goes to the route's adapter, which speaks its provider's
 * protocol; the answer comes back in the chat shape and the client's protocol writes it in the
 * client's format.
 */
final class ThroughChatTranslation implements Translation {
  private final ChatRequest request;
  private final ClientProtocol protocol;
  private final ProviderAdapter adapter;

  ThroughChatTranslation(ChatRequest request, ClientProtocol protocol, ProviderAdapter adapter) {
    this.request = request;
    this.protocol = protocol;
    this.adapter = adapter;
  }

  @Override
  public UpstreamRequest upstreamRequest(Route route, boolean stream, int outputLimit) {
    String gap = request.client().chatGap();
    if (gap != null) {
      throw GatewayError.INVALID_VALUE.exception("The channel '" + route.channel().name() + "' serving '"
          + request.model() + "' does not speak this API, and the request cannot be translated for it: " + gap);
    }
    JsonObject chat = ApiFormat.CHAT_COMPLETIONS.withOutputLimit(request.forUpstream(route.upstreamModel()),
        outputLimit);
    return adapter.chatRequest(chat, route, stream);
  }

  @Override
  public Completion completion(Buffer body) {
    return adapter.completion(body);
  }

  @Override
  public StreamTranslator streamTranslator() {
    return adapter.streamTranslator();
  }

  @Override
  public ChunkAggregator aggregator() {
    return new CompletionAggregator();
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
    completion.put("model", request.model());
    JsonObject usage = completion.getValue("usage") instanceof JsonObject u ? u : OpenAiUsage.toChat(priced.usage());
    completion.put("usage", usage.put("cost", Credits.fromMicros(priced.costMicros())));
    return protocol.answer(completion, priced);
  }
}
