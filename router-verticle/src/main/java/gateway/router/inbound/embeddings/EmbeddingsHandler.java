package gateway.router.inbound.embeddings;

import gateway.router.fields.ClientBodies;
import gateway.common.GatewayError;
import gateway.common.money.Credits;
import gateway.router.exchange.ExchangeHandler;
import gateway.router.exchange.EmbeddingsInput;
import gateway.router.exchange.ClientCall;
import gateway.router.exchange.NativeAnswers;
import gateway.router.exchange.Priced;
import gateway.router.provider.ApiFormat;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/embeddings}, for models of {@code type: embedding}: passed through to the
 * model's OpenAI-compatible channels (any other channel has no embeddings endpoint, and a model
 * served by none is a 400). The hold is the input's estimated tokens at the input price; the charge
 * is the provider's {@code usage.prompt_tokens} (counted when it reports none), and the answer comes
 * back as the provider sent it with the alias as {@code model} and the {@code cost} in its usage.
 */
public final class EmbeddingsHandler implements Handler<RoutingContext> {
  private final ExchangeHandler chat;

  public EmbeddingsHandler(ExchangeHandler chat) {
    this.chat = chat;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = ClientBodies.jsonObject(ctx.body().buffer());
    String model = ClientBodies.requiredString(body, "model");
    if (body.getValue("input") == null) {
      throw GatewayError.MISSING_FIELD.exception("'input' is required", "input");
    }
    if (EmbeddingsInput.items(body).isEmpty()) {
      throw GatewayError.INVALID_VALUE.exception("'input' must be a non-empty string, array of strings, array of"
          + " token ids or array of token-id arrays", "input");
    }
    chat.serve(ctx, ClientCall.embeddings(body, model), new EmbeddingsProtocol(model));
  }

  /** Embeddings are only ever passed through, and come whole. */
  private record EmbeddingsProtocol(String alias) implements NativeAnswers {

    @Override
    public ApiFormat format() {
      return ApiFormat.EMBEDDINGS;
    }

    @Override
    public JsonObject nativeAnswer(JsonObject answer, Priced priced) {
      answer.put("model", alias);
      JsonObject usage = answer.getValue("usage") instanceof JsonObject u ? u : new JsonObject()
          .put("prompt_tokens", priced.usage().inputTokens()).put("total_tokens", priced.usage().inputTokens());
      return answer.put("usage", usage.put("cost", Credits.fromMicros(priced.costMicros())));
    }
  }
}
