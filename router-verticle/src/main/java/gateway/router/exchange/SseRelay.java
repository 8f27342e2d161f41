package gateway.router.exchange;

import gateway.common.money.Usage;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.chatshape.ScannedChunk;
import gateway.router.upstream.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
 * <p>A writer that takes chunks read unparsed gets them so where the translator can read them so
 * (OpenAI to OpenAI): the same anatomy, read from the chunk's text.
 *
 * <p>An exception while translating or writing ends the relay as {@link StreamEnd.Kind#GATEWAY_FAILED}.
 */
public final class SseRelay {
  private static final Logger LOG = LoggerFactory.getLogger(SseRelay.class);

  private final Vertx vertx;
  private final UpstreamCall call;
  private final StreamTranslator translator;
  private final StreamReader reader;
  private final ChunkWriter writer;
  private final HttpServerResponse out;
  private final BiFunction<Usage, CharSequence, Priced> pricing;
  private final long usageGraceMs;
  private final Promise<StreamEnd> end = Promise.promise();
  private final List<Runnable> heldBack = new ArrayList<>();
  private final StringBuilder output = new StringBuilder();
  private JsonObject upstreamUsage;
  private boolean started;
  private boolean clientLeft;
  private long graceTimer = -1;

  public SseRelay(Vertx vertx, UpstreamCall call, StreamTranslator translator, ChunkWriter writer,
                  HttpServerResponse out, BiFunction<Usage, CharSequence, Priced> pricing, long usageGraceMs) {
    this.vertx = vertx;
    this.call = call;
    this.translator = translator;
    this.reader = new StreamReader(call, translator, this::onChunk, writer.takesScanned() ? this::onScanned : null);
    this.writer = writer;
    this.out = out;
    this.pricing = pricing;
    this.usageGraceMs = usageGraceMs;
  }

  public Future<StreamEnd> run() {
    out.drainHandler(v -> reader.resume());
    reader.read().onComplete(done -> {
      try {
        onReaderEnd(done.result());
      } catch (RuntimeException e) {
        LOG.error("ending the relay of channel '{}' failed in the gateway", call.channel(), e);
        finish(clientLeft ? StreamEnd.Kind.CLIENT_GONE : StreamEnd.Kind.GATEWAY_FAILED, null, null, true);
      }
    });
    return end.future();
  }

  /**
   * The client closed its connection: nothing more is written, but the provider's stream is read
   * on for its usage, for a few seconds at most, then cancelled.
   */
  public void clientGone() {
    if (ended() || clientLeft) {
      return;
    }
    clientLeft = true;
    reader.resume();
    graceTimer = vertx.setTimer(Math.max(1, usageGraceMs), id -> finish(StreamEnd.Kind.CLIENT_GONE, null, null, true));
  }

  private boolean ended() {
    return end.future().isComplete();
  }

  private void onChunk(JsonObject chunk) {
    translator.appendOutput(chunk, output);
    if (chunk.getValue("usage") instanceof JsonObject usage) {
      upstreamUsage = usage;
    }
    if (clientLeft || !translator.reachesClient(chunk)) {
      return; // the usage-only chunk: the writer sends the final usage, priced, at the end
    }
    relay(!started && translator.carriesContent(chunk), () -> writer.chunk(chunk));
  }

  /** A chunk read unparsed: it carries no usage (such chunks are parsed). */
  private void onScanned(ScannedChunk chunk) {
    output.append(chunk.output());
    if (clientLeft || !chunk.reachesClient()) {
      return;
    }
    relay(!started && chunk.carriesContent(), () -> writer.chunk(chunk));
  }

  /** Writes a chunk, or holds it back while no content has come ({@code content}: it is the first). */
  private void relay(boolean content, Runnable write) {
    if (!started) {
      if (!content) {
        heldBack.add(write);
        return;
      }
      begin();
    }
    write.run();
    if (out.writeQueueFull()) {
      reader.pause();
    }
  }

  private void begin() {
    started = true;
    writer.begin();
    heldBack.forEach(Runnable::run);
    heldBack.clear();
  }

  private void onReaderEnd(StreamReader.Ending ending) {
    if (ended()) {
      return;
    }
    if (clientLeft) {
      finish(StreamEnd.Kind.CLIENT_GONE, null, null, ending.end() != StreamReader.End.COMPLETED);
      return;
    }
    switch (ending.end()) {
      case COMPLETED -> {
        if (!started) {
          begin();
        }
        Priced priced = pricing.apply(translator.usage(), output);
        writer.complete(priced, upstreamUsage);
        finish(StreamEnd.Kind.COMPLETED, priced, null, false);
      }
      case BROKEN -> broken(ending.error());
      case FAILED_IN_GATEWAY -> finish(StreamEnd.Kind.GATEWAY_FAILED, null, null, true);
      case STOPPED -> { }
    }
  }

  private void broken(UpstreamError error) {
    if (started) {
      finish(StreamEnd.Kind.CUT_AFTER_CONTENT, null, error, true);
      writer.fail(error);
    } else {
      finish(StreamEnd.Kind.FAILED_BEFORE_CONTENT, null, error, true);
    }
  }

  /** Ends the relay once; the upstream call is cancelled last (it re-enters the reader, which has stopped). */
  private void finish(StreamEnd.Kind kind, Priced priced, UpstreamError error, boolean cancel) {
    if (ended()) {
      return;
    }
    vertx.cancelTimer(graceTimer);
    reader.stop();
    end.complete(new StreamEnd(kind, translator.usage(), priced, output, error));
    if (cancel) {
      call.cancel();
    } else {
      call.done();
    }
  }
}
