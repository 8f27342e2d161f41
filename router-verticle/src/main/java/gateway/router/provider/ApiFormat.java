package gateway.router.provider;

/**
 * The request and answer formats the gateway speaks with its clients, one per endpoint. A route
 * whose channel speaks the client's format natively relays the request and answer untranslated
 * (see {@link PassThrough}); any other route goes through the OpenAI chat shape.
 */
public enum ApiFormat {
  /** {@code POST /v1/chat/completions}: the shape every adapter translates to and from. */
  CHAT_COMPLETIONS("llm", true, true),
  /** {@code POST /v1/responses}: OpenAI Responses. */
  RESPONSES("llm", true, true),
  /** {@code POST /v1/messages}: Anthropic Messages. */
  MESSAGES("llm", true, true),
  /** {@code POST /v1/embeddings}: passed through to OpenAI-compatible channels only. */
  EMBEDDINGS("embedding", false, false);

  private final String modelType;
  private final boolean translatesThroughChat;
  private final boolean streams;

  ApiFormat(String modelType, boolean translatesThroughChat, boolean streams) {
    this.modelType = modelType;
    this.translatesThroughChat = translatesThroughChat;
    this.streams = streams;
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
