package gateway.router.provider.gemini;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for Gemini's function calls, which usually have none while OpenAI clients key tool results
 * by id. Generated ids are unique, since a conversation may hold many calls of one function.
 */
final class GeminiToolCallIds {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int LENGTH = 24;

  private GeminiToolCallIds() {
  }

  /** The call's own id when Gemini gave one, else a fresh {@code call_…} one. */
  static String of(JsonObject functionCall) {
    if (functionCall.getValue("id") instanceof String id && !id.isEmpty()) {
      return id;
    }
    StringBuilder id = new StringBuilder("call_");
    for (int i = 0; i < LENGTH; i++) {
      id.append(ALPHABET.charAt(ThreadLocalRandom.current().nextInt(ALPHABET.length())));
    }
    return id.toString();
  }
}
