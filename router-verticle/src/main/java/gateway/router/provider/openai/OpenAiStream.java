package gateway.router.provider.openai;

import gateway.router.provider.chatshape.ChatChunkScan;
import gateway.router.provider.chatshape.ChatUsage;
import gateway.router.provider.chatshape.ScannedChunk;
import gateway.common.money.Usage;
import gateway.router.provider.Json;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.sse.SseEvent;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * An OpenAI chat stream is already in our shape: chunks pass through, usage and errors are noted.
 * Chunks with neither, the bulk of a stream, can be relayed unparsed ({@link #scan}).
 */
final class OpenAiStream implements StreamTranslator {
  private static final String DONE = "[DONE]";

  private boolean completed;
  private Usage usage;
  private UpstreamError error;

  @Override
  public void accept(SseEvent event, Consumer<JsonObject> chunks) {
    if (DONE.equals(event.data())) {
      completed = true;
      return;
    }
    JsonObject chunk = Json.objectOrNull(event.data());
    if (chunk == null) {
      return;
    }
    if (chunk.getValue("error") instanceof JsonObject e) {
      error = OpenAiErrors.inStream(e);
      return;
    }
    Usage reported = chunk.getValue("usage") instanceof JsonObject u ? ChatUsage.fromChat(u) : null;
    if (reported != null) {
      usage = reported;
    }
    chunks.accept(chunk);
  }

  @Override
  public ScannedChunk scan(SseEvent event) {
    return ChatChunkScan.scan(event.data());
  }

  @Override
  public boolean completed() {
    return completed;
  }

  @Override
  public Usage usage() {
    return usage;
  }

  @Override
  public UpstreamError error() {
    return error;
  }
}
