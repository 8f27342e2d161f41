package gateway.router.inbound.chat;

import gateway.router.exchange.ChunkWriter;
import gateway.router.exchange.ClientCall;
import gateway.router.exchange.Priced;
import gateway.router.exchange.TranslatedAnswers;
import gateway.router.provider.ApiFormat;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Clients of {@code /v1/chat/completions}: answers go out in the shape they came in. */
public final class OpenAiChatProtocol implements TranslatedAnswers {
  private final String model;
  private final boolean wantsUsage;

  public OpenAiChatProtocol(ClientCall call) {
    this.model = call.model();
    this.wantsUsage = call.chatForm().wantsUsage();
  }

  @Override
  public ApiFormat format() {
    return ApiFormat.CHAT_COMPLETIONS;
  }

  @Override
  public ChunkWriter streamWriter(HttpServerResponse out) {
    return new OpenAiChunkWriter(out, model, wantsUsage);
  }

  @Override
  public JsonObject answer(JsonObject completion, Priced priced) {
    return completion;
  }

  @Override
  public boolean takesScanned() {
    return true;
  }
}
