package gateway.router.exchange;

import io.vertx.core.http.HttpServerResponse;

/** Streams from a route speaking the client's own format, relayed event by event as the provider sent them. */
public interface NativeStreams extends NativeAnswers {

  /** The writer for a streamed answer in the client's own format, fed the provider's events. */
  ChunkWriter nativeStreamWriter(HttpServerResponse out);
}
