package gateway.router.chat;

import gateway.router.provider.ApiFormat;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The format the client speaks, and how its answers are written. Answers from routes that
 * translate arrive in the OpenAI chat shape: OpenAI chat passes them on, Anthropic Messages and
 * OpenAI Responses translate them on their way out. Answers from routes speaking the client's own
 * format arrive as the provider sent them and are passed on with only the model name and the cost
 * set ({@code passThrough...}).
 */
public interface ClientProtocol {

  ApiFormat format();

  /** The writer for a streamed answer, fed OpenAI chat chunks. */
  ChunkWriter streamWriter(HttpServerResponse out);

  /**
   * The whole answer for the client, from an OpenAI chat completion whose {@code model} is the
   * alias and whose {@code usage} already carries the cost; {@code priced} is that usage,
   * normalized. Built before anything is written or charged, so an answer that cannot be built
   * is an error for the client and free, never a charge for nothing.
   */
  JsonObject answer(JsonObject completion, Priced priced);

  /** The writer for a streamed answer in the client's own format, fed the provider's events. */
  default ChunkWriter passThroughWriter(HttpServerResponse out) {
    throw new UnsupportedOperationException(format() + " answers are never passed through");
  }

  /** A whole answer in the client's own format, as the provider sent it, with the alias and the cost. */
  default JsonObject passThroughAnswer(JsonObject answer, Priced priced) {
    throw new UnsupportedOperationException(format() + " answers are never passed through");
  }
}
