package gateway.router.chat;

import gateway.common.money.Usage;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.sse.SseEvent;
import gateway.router.sse.SseReader;
import gateway.router.upstream.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one upstream stream to the client. Chunks without content (the role-only first
 * chunk, lifecycle events) are held back until the first content, so a provider failing
 * right after opening its stream leaves the client untouched and another route can serve.
 * The client's pace throttles the upstream read (backpressure). What counts as content is the
 * translator's to say, since it knows the shape of the chunks it emits.
 *
 * <p>When the client leaves, the stream is still read for up to {@code usageGraceMs}, unwritten,
 * so that the provider's own usage (which OpenAI sends last, and which counts hidden reasoning)
 * prices the request rather than a count of the visible text.
 *
 * <p>An exception while translating or writing ends the relay as {@link StreamEnd.Kind#GATEWAY_FAILED}
 * instead of escaping into Vert.x and leaving the stream hanging.
 */
public final class SseRelay {
  private static final Logger LOG = LoggerFactory.getLogger(SseRelay.class);

  private final Vertx vertx;
  private final UpstreamCall call;
  private final StreamTranslator translator;
  private final ChunkWriter writer;
  private final HttpServerResponse out;
  private final BiFunction<Usage, CharSequence, Priced> pricing;
  private final long usageGraceMs;
  private final Promise<StreamEnd> end = Promise.promise();
  private final List<JsonObject> heldBack = new ArrayList<>();
  private final StringBuilder output = new StringBuilder();
  private JsonObject upstreamUsage;
  private boolean started;
  private boolean clientLeft;
  private long graceTimer = -1;
  // Set before any side effect of ending: cancelling the upstream call re-enters its handlers.
  private boolean ended;

  public SseRelay(Vertx vertx, UpstreamCall call, StreamTranslator translator, ChunkWriter writer,
                  HttpServerResponse out, BiFunction<Usage, CharSequence, Priced> pricing, long usageGraceMs) {
    this.vertx = vertx;
    this.call = call;
    this.translator = translator;
    this.writer = writer;
    this.out = out;
    this.pricing = pricing;
    this.usageGraceMs = usageGraceMs;
  }

  public Future<StreamEnd> run() {
    HttpClientResponse upstream = call.response().result();
    SseReader reader = new SseReader(this::onEvent);
    upstream.handler(guarded(buffer -> {
      if (!ended) {
        call.touch();
        reader.feed(buffer);
      }
    }));
    upstream.endHandler(guarded(v -> {
      if (!ended) {
        reader.end();
        onUpstreamEnd();
      }
    }));
    upstream.exceptionHandler(guarded(e -> onUpstreamBroken(call.failure("the stream of channel '"
        + call.channel() + "' broke: " + e.getMessage()).error())));
    out.drainHandler(v -> upstream.resume());
    return end.future();
  }

  /**
   * The client closed its connection: nothing more is written, but the provider's stream is read
   * on for its usage, for a few seconds at most, then cancelled.
   */
  public void clientGone() {
    if (ended || clientLeft) {
      return;
    }
    clientLeft = true;
    call.response().result().resume();
    graceTimer = vertx.setTimer(Math.max(1, usageGraceMs), id -> endClientGone(true));
  }

  private void endClientGone(boolean cancel) {
    if (ended) {
      return;
    }
    ended = true;
    vertx.cancelTimer(graceTimer);
    end.complete(new StreamEnd(StreamEnd.Kind.CLIENT_GONE, translator.usage(), null, output, null));
    if (cancel) {
      call.cancel();
    } else {
      call.done();
    }
  }

  private void onEvent(SseEvent event) {
    if (ended) {
      return;
    }
    translator.accept(event, this::onChunk);
    if (ended) {
      return;
    }
    if (translator.error() != null) {
      onUpstreamBroken(translator.error());
    } else if (translator.completed()) {
      complete();
    }
  }

  private void onChunk(JsonObject chunk) {
    if (ended) {
      return;
    }
    translator.appendOutput(chunk, output);
    if (chunk.getValue("usage") instanceof JsonObject usage) {
      upstreamUsage = usage;
    }
    if (clientLeft || !translator.reachesClient(chunk)) {
      return; // the usage-only chunk: the writer sends the final usage, priced, at the end
    }
    if (!started) {
      if (!translator.carriesContent(chunk)) {
        heldBack.add(chunk);
        return;
      }
      begin();
    }
    writer.chunk(chunk);
    if (out.writeQueueFull()) {
      call.response().result().pause();
    }
  }

  private void begin() {
    started = true;
    writer.begin();
    heldBack.forEach(writer::chunk);
    heldBack.clear();
  }

  private void complete() {
    if (clientLeft) {
      endClientGone(false);
      return;
    }
    if (!started) {
      begin();
    }
    Priced priced = pricing.apply(translator.usage(), output);
    writer.complete(priced, upstreamUsage);
    ended = true;
    call.done();
    end.complete(new StreamEnd(StreamEnd.Kind.COMPLETED, translator.usage(), priced, output, null));
  }

  private void onUpstreamEnd() {
    if (translator.completed()) {
      complete();
    } else {
      onUpstreamBroken(call.failure("the stream of channel '" + call.channel() + "' ended before it was complete")
          .error());
    }
  }

  private void onUpstreamBroken(UpstreamError error) {
    if (ended) {
      return;
    }
    if (clientLeft) {
      endClientGone(true);
      return;
    }
    ended = true;
    if (started) {
      end.complete(new StreamEnd(StreamEnd.Kind.CUT_AFTER_CONTENT, translator.usage(), null, output, error));
      writer.fail(error);
    } else {
      end.complete(new StreamEnd(StreamEnd.Kind.FAILED_BEFORE_CONTENT, translator.usage(), null, output, error));
    }
    // Last: cancelling fires the upstream's exception handler at once; it finds this relay ended.
    call.cancel();
  }

  /** A handler whose exceptions end the relay as the gateway's failure instead of escaping into Vert.x. */
  private <T> Handler<T> guarded(Handler<T> handler) {
    return value -> {
      try {
        handler.handle(value);
      } catch (RuntimeException e) {
        onGatewayFailure(e);
      }
    };
  }

  private void onGatewayFailure(RuntimeException e) {
    LOG.error("relaying the stream of channel '{}' failed in the gateway", call.channel(), e);
    if (ended) {
      return;
    }
    ended = true;
    vertx.cancelTimer(graceTimer);
    end.complete(new StreamEnd(clientLeft ? StreamEnd.Kind.CLIENT_GONE : StreamEnd.Kind.GATEWAY_FAILED,
        translator.usage(), null, output, null));
    call.cancel();
  }
}
