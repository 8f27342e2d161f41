package gateway.router.exchange;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Answers that come by way of the OpenAI chat shape, written in the client's format. */
public interface TranslatedAnswers extends ClientProtocol {

  /**
   * The whole answer for the client, from an OpenAI chat completion whose {@code model} is the
   * alias and whose {@code usage} already carries the cost; {@code priced} is that usage,
   * normalized. Built before anything is written or charged, so an answer that cannot be built
   * is an error for the client and free, never a charge for nothing.
   */
  JsonObject answer(JsonObject completion, Priced priced);

  /**
   * Whether {@link #answer} gives the completion back unchanged, so that one read unparsed may go out as it
   * came (but for the alias and the cost): OpenAI chat clients only.
   */
  default boolean takesScanned() {
    return false;
  }

  /** The writer for a streamed answer, fed OpenAI chat chunks. */
  ChunkWriter streamWriter(HttpServerResponse out);
}
