package gateway.router.exchange;

import gateway.router.provider.ChunkAggregator;
import gateway.router.provider.UpstreamError;
import gateway.router.upstream.UpstreamCall;
import io.vertx.core.Future;

/**
 * A whole answer for a client that did not ask for a stream, read from a channel that only
 * streams: the stream's chunks folded into the answer a non-stream call would have given.
 */
final class StreamAggregation {
  private StreamAggregation() {
  }

  static Future<AttemptOutcome> read(UpstreamCall call, Translation translation) {
    ChunkAggregator aggregator = translation.aggregator();
    StreamReader reader = new StreamReader(call, translation.streamTranslator(), aggregator::accept);
    return reader.read().map(ending -> switch (ending.end()) {
      case COMPLETED -> {
        call.done();
        yield new AttemptOutcome.Answered(translation, aggregator.completion(), reader.translator().usage());
      }
      case BROKEN -> {
        call.cancel();
        yield new AttemptOutcome.Failed(ending.error());
      }
      case FAILED_IN_GATEWAY, STOPPED -> {
        call.cancel();
        // The gateway could not read it: no fault of the channel, and another route may still serve.
        yield new AttemptOutcome.Failed(new UpstreamError(0, "upstream_error", null, "the stream of channel '"
            + call.channel() + "' could not be read", true, false, null));
      }
    });
  }
}
