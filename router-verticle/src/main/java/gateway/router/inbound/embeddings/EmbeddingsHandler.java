package gateway.router.inbound.embeddings;

import gateway.common.GatewayError;
import gateway.common.money.Credits;
import gateway.router.chat.ChatHandler;
import gateway.router.chat.ChatRequest;
import gateway.router.chat.ChunkWriter;
import gateway.router.chat.ClientProtocol;
import gateway.router.chat.ClientRequest;
import gateway.router.chat.EmbeddingsInput;
import gateway.router.chat.Priced;
import gateway.router.provider.ApiFormat;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code POST /v1/embeddings}, for models of {@code type: embedding}: passed through to the
 * model's OpenAI-compatible channels (any other channel has no embeddings endpoint, and a model
 * served by none is a 400). The hold is the input's estimated tokens at the input price; the charge
 * is the provider's {@code usage.prompt_tokens} (counted when it reports none), and the answer comes
 * back as the provider sent it with the alias as {@code model} and the {@code cost} in its usage.
 */
public final class EmbeddingsHandler implements Handler<RoutingContext> {
  private final ChatHandler chat;

  public EmbeddingsHandler(ChatHandler chat) {
    this.chat = chat;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = ChatRequest.jsonObject(ctx.body().buffer());
    String model = ChatRequest.requiredString(body, "model");
    if (body.getValue("input") == null) {
      throw GatewayError.MISSING_FIELD.exception("'input' is required", "input");
    }
    if (EmbeddingsInput.items(body).isEmpty()) {
      throw GatewayError.INVALID_VALUE.exception("'input' must be a non-empty string, array of strings, array of"
          + " token ids or array of token-id arrays", "input");
    }
    // What holds and counts read: the input alone (a stray 'messages' must not count as a chat).
    JsonObject counted = new JsonObject().put("model", model).put("input", body.getValue("input"));
    ChatRequest request = new ChatRequest(counted, model, false, false, 0, 1,
        new ClientRequest(ApiFormat.EMBEDDINGS, body, Map.of(), "embeddings have no chat form"));
    chat.serve(ctx, request, new EmbeddingsProtocol(model));
  }

  /** Embeddings are only ever passed through, never streamed nor translated. */
  private record EmbeddingsProtocol(String alias) implements ClientProtocol {

    @Override
    public ApiFormat format() {
      return ApiFormat.EMBEDDINGS;
    }

    @Override
    public ChunkWriter streamWriter(HttpServerResponse out) {
      throw new IllegalStateException("embeddings never stream");
    }

    @Override
    public JsonObject answer(JsonObject completion, Priced priced) {
      throw new IllegalStateException("embeddings are never translated");
    }

    @Override
    public JsonObject passThroughAnswer(JsonObject answer, Priced priced) {
      answer.put("model", alias);
      JsonObject usage = answer.getValue("usage") instanceof JsonObject u ? u : new JsonObject()
          .put("prompt_tokens", priced.usage().inputTokens()).put("total_tokens", priced.usage().inputTokens());
      return answer.put("usage", usage.put("cost", Credits.fromMicros(priced.costMicros())));
    }
  }
}
