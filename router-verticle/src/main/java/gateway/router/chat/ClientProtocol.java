package gateway.router.chat;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The protocol the client speaks, fed with answers in the OpenAI chat shape: OpenAI
 * chat here; Anthropic Messages and OpenAI Responses translate on their way out.
 */
public interface ClientProtocol {

  /** The writer for a streamed answer. */
  ChunkWriter streamWriter(HttpServerResponse out);

  /** Writes a whole answer; {@code completion.usage} already carries the cost. */
  void respond(HttpServerResponse out, JsonObject completion);
}
