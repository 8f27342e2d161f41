package gateway.router.exchange;

import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.chatshape.ScannedChunk;
import gateway.router.sse.SseEvent;
import gateway.router.sse.SseReader;
import gateway.router.upstream.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one upstream stream, event by event, through its translator, handing each chunk to a
 * consumer: the one loop behind relaying a stream to the client ({@link SseRelay}) and folding it
 * into a whole answer ({@link StreamAggregation}). Ends once, in one {@link Ending}; an exception
 * in the translator or the consumer ends it too, instead of escaping into Vert.x and leaving the
 * stream hanging. Neither cancels nor finishes the call: its owner decides.
 *
 * <p>A consumer that takes chunks read unparsed gets those the translator can {@link StreamTranslator#scan}
 * that way; every other event goes through the translator as usual.
 */
final class StreamReader {
  private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);

  /** How the stream ended. */
  enum End {
    /** The provider's terminal event arrived. */
    COMPLETED,
    /** The provider reported an error, or the stream broke or stopped before it was complete. */
    BROKEN,
    /** The gateway failed translating or consuming it. */
    FAILED_IN_GATEWAY,
    /** Its owner stopped reading it. */
    STOPPED
  }

  /** @param error why it broke, for {@link End#BROKEN} */
  record Ending(End end, UpstreamError error) {
  }

  private final UpstreamCall call;
  private final StreamTranslator translator;
  private final Consumer<JsonObject> chunks;
  private final Consumer<ScannedChunk> scanned;
  private final Promise<Ending> ending = Promise.promise();

  StreamReader(UpstreamCall call, StreamTranslator translator, Consumer<JsonObject> chunks) {
    this(call, translator, chunks, null);
  }

  /** @param scanned takes the chunks read unparsed; null when every chunk is to be parsed */
  StreamReader(UpstreamCall call, StreamTranslator translator, Consumer<JsonObject> chunks,
               Consumer<ScannedChunk> scanned) {
    this.call = call;
    this.translator = translator;
    this.chunks = chunks;
    this.scanned = scanned;
  }

  Future<Ending> read() {
    HttpClientResponse upstream = call.response().result();
    SseReader reader = new SseReader(event -> {
      if (!stopped()) {
        ScannedChunk chunk = scanned == null ? null : translator.scan(event);
        if (chunk != null) {
          scanned.accept(chunk);
        } else if (!translated(event)) {
          end(End.BROKEN, UpstreamError.transport("channel '" + call.channel() + "' sent a stream event that is "
              + "not of its protocol"));
          return;
        }
        if (translator.error() != null) {
          end(End.BROKEN, translator.error());
        } else if (translator.completed()) {
          end(End.COMPLETED, null);
        }
      }
    });
    upstream.handler(guarded(buffer -> {
      if (!stopped()) {
        call.touch();
        reader.feed(buffer);
      }
    }));
    upstream.endHandler(guarded(v -> {
      if (!stopped()) {
        reader.end();
        if (translator.completed()) {
          end(End.COMPLETED, null);
        } else {
          end(End.BROKEN, call.failure("the stream of channel '" + call.channel() + "' ended before it was "
              + "complete").error());
        }
      }
    }));
    upstream.exceptionHandler(guarded(e -> end(End.BROKEN, call.failure("the stream of channel '" + call.channel()
        + "' broke: " + e.getMessage()).error())));
    return ending.future();
  }

  /**
   * Hands the event to the translator; false when the translator could not read it: the provider's bytes, not the
   * gateway, are at fault (a field of the wrong type, say), so the stream is broken, not failed in the gateway. What
   * the chunks' consumer throws is the gateway's own failure and goes on up.
   */
  private boolean translated(SseEvent event) {
    try {
      translator.accept(event, chunk -> {
        try {
          chunks.accept(chunk);
        } catch (RuntimeException e) {
          throw new ConsumerFailure(e);
        }
      });
      return true;
    } catch (ConsumerFailure e) {
      throw e.failure;
    } catch (RuntimeException e) {
      LOG.warn("channel '{}' sent a stream event its translator could not read: {}", call.channel(), e.toString());
      return false;
    }
  }

  /** Carries a failure of the chunks' consumer past {@link #translated}. */
  private static final class ConsumerFailure extends RuntimeException {
    final RuntimeException failure;

    ConsumerFailure(RuntimeException failure) {
      super(null, null, false, false);
      this.failure = failure;
    }
  }

  /** Stops handing on chunks: whatever still arrives is dropped. */
  void stop() {
    ending.tryComplete(new Ending(End.STOPPED, null));
  }

  boolean stopped() {
    return ending.future().isComplete();
  }

  void pause() {
    call.response().result().pause();
  }

  void resume() {
    call.response().result().resume();
  }

  StreamTranslator translator() {
    return translator;
  }

  private void end(End end, UpstreamError error) {
    ending.tryComplete(new Ending(end, error));
  }

  private <T> Handler<T> guarded(Handler<T> handler) {
    return value -> {
      try {
        handler.handle(value);
      } catch (RuntimeException e) {
        LOG.error("reading the stream of channel '{}' failed in the gateway", call.channel(), e);
        end(End.FAILED_IN_GATEWAY, null);
      }
    };
  }
}
