package gateway.router.provider.gemini;

import java.util.Map;

/** Gemini {@code finishReason} → OpenAI {@code finish_reason}. */
final class GeminiFinishReasons {
  private static final String CONTENT_FILTER = "content_filter";

  private static final Map<String, String> OPENAI_REASONS = Map.ofEntries(
      Map.entry("STOP", "stop"),
      Map.entry("MAX_TOKENS", "length"),
      Map.entry("SAFETY", CONTENT_FILTER),
      Map.entry("RECITATION", CONTENT_FILTER),
      Map.entry("BLOCKLIST", CONTENT_FILTER),
      Map.entry("PROHIBITED_CONTENT", CONTENT_FILTER),
      Map.entry("SPII", CONTENT_FILTER),
      Map.entry("IMAGE_SAFETY", CONTENT_FILTER));

  private GeminiFinishReasons() {
  }

  /** A normal stop that made function calls is OpenAI's {@code tool_calls}: Gemini says {@code STOP} for both. */
  static String toOpenAi(String finishReason, boolean madeToolCalls) {
    String reason = OPENAI_REASONS.getOrDefault(finishReason, "stop");
    return madeToolCalls && reason.equals("stop") ? "tool_calls" : reason;
  }

  /** A prompt Gemini refused outright ({@code promptFeedback.blockReason}, no candidates). */
  static String promptBlocked() {
    return CONTENT_FILTER;
  }
}
