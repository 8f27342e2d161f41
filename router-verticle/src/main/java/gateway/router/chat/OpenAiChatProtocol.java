package gateway.router.chat;

import gateway.router.provider.ApiFormat;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Clients of {@code /v1/chat/completions}: answers go out in the shape they came in. */
public final class OpenAiChatProtocol implements ClientProtocol {
  private final String model;
  private final boolean wantsUsage;

  public OpenAiChatProtocol(ChatRequest request) {
    this.model = request.model();
    this.wantsUsage = request.wantsUsage();
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
}
