package gateway.router.provider.gemini;

import static gateway.router.provider.Json.longAt;

import gateway.common.money.Usage;
import io.vertx.core.json.JsonObject;

/**
 * Gemini {@code usageMetadata} to the normalized {@link Usage}. Gemini's {@code promptTokenCount}
 * includes the cached tokens ({@code cachedContentTokenCount}), so those come out of the uncached
 * input; its {@code candidatesTokenCount} excludes the thinking ({@code thoughtsTokenCount}), which
 * is output too. Tokens of tool-use prompts (grounding) are input on top of the prompt.
 */
final class GeminiUsage {
  private GeminiUsage() {
  }

  /** Null when the response carried no usage metadata. */
  static Usage from(JsonObject metadata) {
    if (metadata == null) {
      return null;
    }
    long prompt = longAt(metadata, "promptTokenCount");
    long cached = Math.min(longAt(metadata, "cachedContentTokenCount"), prompt);
    long thoughts = longAt(metadata, "thoughtsTokenCount");
    long toolPrompt = longAt(metadata, "toolUsePromptTokenCount");
    return new Usage(prompt - cached + toolPrompt, cached, 0,
        longAt(metadata, "candidatesTokenCount") + thoughts, thoughts);
  }
}
