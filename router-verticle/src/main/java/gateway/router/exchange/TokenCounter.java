package gateway.router.exchange;

import gateway.router.provider.Json;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Counts tokens with jtokkit ({@code o200k_base}) when a provider reports no usage, or a
 * stream ends before its usage arrives. The prompt count follows OpenAI's published
 * per-message overhead; for other model families it is an estimate, used only then.
 */
public final class TokenCounter {
  private static final int TOKENS_PER_MESSAGE = 3;
  private static final int TOKENS_PER_REPLY = 3;
  private static final int TOKENS_PER_IMAGE = 85;

  private static volatile TokenCounter shared;

  private final Encoding encoding;

  private TokenCounter(Encoding encoding) {
    this.encoding = encoding;
  }

  /**
   * The process-wide counter. Loading the encoding reads a 3.6 MB vocabulary, so call this
   * from a worker thread (executeBlocking), never from an event loop.
   */
  public static TokenCounter load() {
    TokenCounter counter = shared;
    if (counter == null) {
      synchronized (TokenCounter.class) {
        if (shared == null) {
          shared = new TokenCounter(Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE));
        }
        counter = shared;
      }
    }
    return counter;
  }

  public long count(CharSequence text) {
    return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text.toString());
  }

  /** The prompt tokens of an OpenAI chat request (messages, tool definitions), or of an embeddings input. */
  public long promptTokens(JsonObject request) {
    if (!request.containsKey("messages") && request.containsKey("input")) {
      long tokens = 0;
      for (Object input : EmbeddingsInput.items(request)) {
        tokens += input instanceof JsonArray ids ? ids.size() : count((String) input);
      }
      return tokens;
    }
    long tokens = TOKENS_PER_REPLY;
    JsonArray messages = Json.array(request, "messages");
    for (Object item : messages) {
      if (!(item instanceof JsonObject message)) {
        continue;
      }
      tokens += TOKENS_PER_MESSAGE + count(Json.string(message, "role", ""));
      tokens += contentTokens(message.getValue("content"));
      if (message.getValue("tool_calls") instanceof JsonArray calls) {
        tokens += count(calls.encode());
      }
      if (message.getValue("name") instanceof String name) {
        tokens += count(name);
      }
    }
    if (request.getValue("tools") instanceof JsonArray tools) {
      tokens += count(tools.encode());
    }
    return tokens;
  }

  private long contentTokens(Object content) {
    if (content instanceof String text) {
      return count(text);
    }
    long tokens = 0;
    if (content instanceof JsonArray parts) {
      for (Object part : parts) {
        if (part instanceof JsonObject p) {
          if (p.getValue("text") instanceof String text) {
            tokens += count(text);
          } else if (p.containsKey("image_url") || "image".equals(Json.string(p, "type", null))) {
            tokens += TOKENS_PER_IMAGE;
          }
        }
      }
    }
    return tokens;
  }
}
