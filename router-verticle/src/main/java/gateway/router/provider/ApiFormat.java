package gateway.router.provider;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The request and answer formats the gateway speaks with its clients, one per endpoint. A route
 * whose channel speaks the client's format natively relays the request and answer untranslated
 * (see {@link PassThrough}); any other route goes through the OpenAI chat shape.
 */
public enum ApiFormat {
  /** {@code POST /v1/chat/completions}: the shape every adapter translates to and from. */
  CHAT_COMPLETIONS("llm", true, true, List.of("max_completion_tokens", "max_tokens")),
  /** {@code POST /v1/responses}: OpenAI Responses. */
  RESPONSES("llm", true, true, List.of("max_output_tokens")),
  /** {@code POST /v1/messages}: Anthropic Messages. */
  MESSAGES("llm", true, true, List.of("max_tokens")),
  /** {@code POST /v1/embeddings}: passed through to OpenAI-compatible channels only. */
  EMBEDDINGS("embedding", false, false, List.of()),
  /** {@code POST /v1/images/generations} and {@code /v1/images/edits}: sent to image APIs only, priced per image. */
  IMAGES("text2image", false, false, List.of());

  private final String modelType;
  private final boolean translatesThroughChat;
  private final boolean streams;
  private final List<String> outputLimitFields;

  ApiFormat(String modelType, boolean translatesThroughChat, boolean streams, List<String> outputLimitFields) {
    this.modelType = modelType;
    this.translatesThroughChat = translatesThroughChat;
    this.streams = streams;
    this.outputLimitFields = outputLimitFields;
  }

  /**
   * The fields of a request in this format that bound its output, the one the gateway sets first:
   * a request carrying none is sent with the limit that was held. Empty for formats without output.
   */
  public List<String> outputLimitFields() {
    return outputLimitFields;
  }

  /** Bounds an attempt's own copy of a body to {@code limit} output tokens, unless it names a bound of its own. */
  public JsonObject withOutputLimit(JsonObject body, int limit) {
    if (outputLimitFields.isEmpty() || outputLimitFields.stream().anyMatch(f -> body.getValue(f) != null)) {
      return body;
    }
    return body.put(outputLimitFields.get(0), limit);
  }

  /** The catalog {@code type} a model must have to be called in this format. */
  public String modelType() {
    return modelType;
  }

  /** Whether a route that cannot pass it through may still serve it by way of the OpenAI chat shape. */
  public boolean translatesThroughChat() {
    return translatesThroughChat;
  }

  /** Whether answers in this format can stream (a {@code stream_only} channel then streams upstream). */
  public boolean streams() {
    return streams;
  }
}
