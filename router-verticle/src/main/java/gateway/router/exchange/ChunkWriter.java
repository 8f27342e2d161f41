package gateway.router.exchange;

import gateway.router.provider.UpstreamError;
import gateway.router.provider.chatshape.ScannedChunk;
import io.vertx.core.json.JsonObject;

/**
 * Writes a stream to the client in the client's protocol, fed with OpenAI chunks. The
 * relay calls {@link #begin()} at the first content, so that an upstream failing before it
 * can still fall back or answer a plain HTTP error.
 */
public interface ChunkWriter {

  /** Status line and headers. */
  void begin();

  void chunk(JsonObject openAiChunk);

  /** Whether it takes chunks read unparsed ({@link #chunk(ScannedChunk)}): OpenAI chunk writers only. */
  default boolean takesScanned() {
    return false;
  }

  /** A chunk read unparsed, written as it came but for what the client's protocol changes in every chunk. */
  default void chunk(ScannedChunk openAiChunk) {
    throw new UnsupportedOperationException("this writer takes parsed chunks only");
  }

  /**
   * The stream is complete: the final usage (with its cost, when the client asked for usage)
   * and the protocol's terminator; ends the response.
   *
   * @param upstreamUsage the provider's own usage object in OpenAI shape, when it sent one
   */
  void complete(Priced priced, JsonObject upstreamUsage);

  /** The provider broke after content: an error event and no terminator, so the client cannot mistake it for a whole answer. */
  void fail(UpstreamError error);
}
