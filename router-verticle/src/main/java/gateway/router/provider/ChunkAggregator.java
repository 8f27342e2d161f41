package gateway.router.provider;

import io.vertx.core.json.JsonObject;

/**
 * Folds the chunks of a stream into the one whole answer they spell: for clients that asked for a
 * whole answer from a channel that only streams.
 */
public interface ChunkAggregator {

  void accept(JsonObject chunk);

  /** The whole answer, in the shape of a non-stream answer of the same format. */
  JsonObject completion();
}
