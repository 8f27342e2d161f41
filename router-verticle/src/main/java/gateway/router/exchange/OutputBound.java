package gateway.router.exchange;

/**
 * What bounds a call's output as the client wrote it.
 *
 * @param maxTokens the client's limit per answer, null when it set none
 * @param field     the field it is in (named in a 400 about it)
 * @param choices   how many answers it asked for ({@code n})
 */
public record OutputBound(Integer maxTokens, String field, int choices) {
  /** A call that writes nothing (embeddings). */
  public static final OutputBound NONE = new OutputBound(null, "max_tokens", 1);

  public static OutputBound of(Integer maxTokens, String field) {
    return new OutputBound(maxTokens, field, 1);
  }
}
