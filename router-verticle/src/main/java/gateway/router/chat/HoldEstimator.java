package gateway.router.chat;

import gateway.common.bus.ResolvedModel;
import gateway.common.money.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * The most a request can cost, held before the upstream call. Cheap on purpose (no
 * tokenizer on the hot path): prompt tokens are over-estimated as UTF-8 bytes of text / 2.5
 * (English runs about 4 bytes a token, CJK about 3), 1,000 per image part, plus per-message
 * overhead; output is {@code max_completion_tokens}/{@code max_tokens}, else the model's
 * {@code max_output_tokens}, else the configured default, times {@code n}.
 */
public final class HoldEstimator {
  private static final int TOKENS_PER_IMAGE = 1_000;
  private static final int TOKENS_PER_MESSAGE = 4;

  private final int defaultMaxOutputTokens;

  public HoldEstimator(int defaultMaxOutputTokens) {
    this.defaultMaxOutputTokens = defaultMaxOutputTokens;
  }

  public long maxCostMicros(ChatRequest request, ResolvedModel model) {
    return model.price().costMicros(new Usage(promptTokens(request.body()), 0, 0, maxOutputTokens(request, model), 0));
  }

  /** The tokens a request may use at most, as token-per-minute limits count it up front. */
  public long maxTokens(ChatRequest request, ResolvedModel model) {
    return promptTokens(request.body()) + maxOutputTokens(request, model);
  }

  private long maxOutputTokens(ChatRequest request, ResolvedModel model) {
    long output = request.maxOutputTokens() != null ? request.maxOutputTokens()
        : model.maxOutputTokens() != null ? model.maxOutputTokens() : defaultMaxOutputTokens;
    return output * request.choices();
  }

  /** An over-estimate of the prompt tokens of an OpenAI-shaped request: chat messages, or embeddings input. */
  public static long promptTokens(JsonObject body) {
    long bytes = 0;
    long images = 0;
    long messages = 0;
    long tokenIds = 0;
    for (Object input : EmbeddingsInput.items(body)) {
      if (input instanceof String text) {
        bytes += utf8Length(text);
      } else if (input instanceof JsonArray ids) {
        tokenIds += ids.size();
      }
    }
    for (Object item : body.getJsonArray("messages", new JsonArray())) {
      if (!(item instanceof JsonObject message)) {
        continue;
      }
      messages++;
      Object content = message.getValue("content");
      if (content instanceof String text) {
        bytes += utf8Length(text);
      } else if (content instanceof JsonArray parts) {
        for (Object part : parts) {
          if (part instanceof JsonObject p && p.getValue("text") instanceof String text) {
            bytes += utf8Length(text);
          } else {
            images++;
          }
        }
      }
      if (message.getValue("tool_calls") instanceof JsonArray calls) {
        bytes += calls.encode().length();
      }
    }
    if (body.getValue("tools") instanceof JsonArray tools) {
      bytes += tools.encode().length();
    }
    return (bytes * 2 + 4) / 5 + images * TOKENS_PER_IMAGE + messages * TOKENS_PER_MESSAGE + tokenIds;
  }

  private static long utf8Length(String text) {
    long ascii = text.length();
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return text.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return ascii;
  }
}
