package gateway.router.chat;

import gateway.common.money.Usage;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.sse.SseEvent;
import gateway.router.sse.SseReader;
import gateway.router.upstream.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Relays one upstream stream to the client. Chunks without content (the role-only first
 * chunk, lifecycle events) are held back until the first content, so a provider failing
 * right after opening its stream leaves the client untouched and another route can serve.
 * The client's pace throttles the upstream read (backpressure). What counts as content is the
 * translator's to say, since it knows the shape of the chunks it emits.
 */
public final class SseRelay {
  private final UpstreamCall call;
  private final StreamTranslator translator;
  private final ChunkWriter writer;
  private final HttpServerResponse out;
  private final BiFunction<Usage, CharSequence, Priced> pricing;
  private final Promise<StreamEnd> end = Promise.promise();
  private final List<JsonObject> heldBack = new ArrayList<>();
  private final StringBuilder output = new StringBuilder();
  private JsonObject upstreamUsage;
  private boolean started;
  // Set before any side effect of ending: cancelling the upstream call re-enters its handlers.
  private boolean ended;

  public SseRelay(UpstreamCall call, StreamTranslator translator, ChunkWriter writer, HttpServerResponse out,
                  BiFunction<Usage, CharSequence, Priced> pricing) {
    this.call = call;
    this.translator = translator;
    this.writer = writer;
    this.out = out;
    this.pricing = pricing;
  }

  public Future<StreamEnd> run() {
    HttpClientResponse upstream = call.response().result();
    SseReader reader = new SseReader(this::onEvent);
    upstream.handler(buffer -> {
      if (!finished()) {
        call.touch();
        reader.feed(buffer);
      }
    });
    upstream.endHandler(v -> {
      if (!finished()) {
        reader.end();
        onUpstreamEnd();
      }
    });
    upstream.exceptionHandler(e -> onUpstreamBroken(call.failure("the stream of channel '" + call.channel()
        + "' broke: " + e.getMessage()).error()));
    out.drainHandler(v -> upstream.resume());
    return end.future();
  }

  /** The client closed its connection: stop the provider, keep what it generated. */
  public void clientGone() {
    if (finished()) {
      return;
    }
    ended = true;
    call.cancel();
    end.complete(new StreamEnd(StreamEnd.Kind.CLIENT_GONE, translator.usage(), null, output, null));
  }

  private boolean finished() {
    return ended;
  }

  private void onEvent(SseEvent event) {
    if (finished()) {
      return;
    }
    translator.accept(event, this::onChunk);
    if (translator.error() != null) {
      onUpstreamBroken(translator.error());
    } else if (translator.completed()) {
      complete();
    }
  }

  private void onChunk(JsonObject chunk) {
    if (finished()) {
      return;
    }
    translator.appendOutput(chunk, output);
    if (chunk.getValue("usage") instanceof JsonObject usage) {
      upstreamUsage = usage;
    }
    if (!translator.reachesClient(chunk)) {
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
    ended = true;
    if (!started) {
      begin();
    }
    call.done();
    Priced priced = pricing.apply(translator.usage(), output);
    // The exchange settles as the end completes: before the last byte, so a server draining for
    // shutdown cannot close ahead of the charge.
    end.complete(new StreamEnd(StreamEnd.Kind.COMPLETED, translator.usage(), priced, output, null));
    writer.complete(priced, upstreamUsage);
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
    if (finished()) {
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
}
