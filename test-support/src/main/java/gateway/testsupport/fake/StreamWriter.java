package gateway.testsupport.fake;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Writes one {@link StreamPlan} to a response, one network write per event, honouring the behavior's first-byte
 * and between-event delays and its injected faults (cuts, error events, noise, a stream that never ends), and
 * noticing a client that goes away before the end.
 */
final class StreamWriter {

  /** Told once when the stream is accepted and once when it ends, however it ends. */
  interface Listener {
    void streamOpened();

    void streamEnded(boolean cancelledByClient);
  }

  private enum Fault { NONE, CUT, ERROR_EVENT }

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final StreamPlan plan;
  private final List<Buffer> events;
  private final Behavior behavior;
  private final Listener listener;
  private final Runnable closed;
  private final long chunkDelayMillis;
  private final int noisePosition;
  private final int neverEndPosition;
  private boolean noiseWritten;
  private final Fault fault;
  private final int faultPosition;
  private int next;
  private long timerId = -1;
  private boolean ended;

  private StreamWriter(Vertx vertx, HttpServerRequest request, StreamPlan plan, Behavior behavior, Listener listener,
                       Runnable closed) {
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
    this.plan = plan;
    this.events = plan.events();
    this.behavior = behavior;
    this.listener = listener;
    this.closed = closed;
    this.chunkDelayMillis = millis(behavior.chunkDelay);
    this.noisePosition = behavior.noiseAfterChunks >= 0 ? plan.positionAfterContent(behavior.noiseAfterChunks) : -1;
    this.neverEndPosition = behavior.neverEnds ? plan.positionBeforeFinish() : -1;
    int cutAt = behavior.cutAfterChunks >= 0 ? plan.positionAfterContent(behavior.cutAfterChunks) : Integer.MAX_VALUE;
    int errorAt = behavior.errorEventAfterChunks >= 0
        ? plan.positionAfterContent(behavior.errorEventAfterChunks) : Integer.MAX_VALUE;
    if (cutAt == Integer.MAX_VALUE && errorAt == Integer.MAX_VALUE) {
      this.fault = Fault.NONE;
      this.faultPosition = -1;
    } else {
      this.fault = cutAt <= errorAt ? Fault.CUT : Fault.ERROR_EVENT;
      this.faultPosition = Math.min(cutAt, errorAt);
    }
  }

  /**
   * Accepts the stream now (it counts as open from here) and starts writing after the first-byte delay;
   * {@code closed} runs when the connection closes.
   */
  static void start(Vertx vertx, HttpServerRequest request, StreamPlan plan, Behavior behavior, Listener listener,
                    Runnable closed) {
    new StreamWriter(vertx, request, plan, behavior, listener, closed).begin();
  }

  private void begin() {
    listener.streamOpened();
    response.closeHandler(v -> {
      clientGone();
      closed.run();
    });
    response.exceptionHandler(e -> clientGone());
    long firstByteDelay = millis(behavior.firstByteDelay);
    if (firstByteDelay > 0) {
      timerId = vertx.setTimer(firstByteDelay, id -> {
        timerId = -1;
        writeHead();
        step();
      });
    } else {
      writeHead();
      step();
    }
  }

  private void writeHead() {
    if (ended) {
      return;
    }
    response.setStatusCode(FakeUpstream.status(behavior, 200))
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, FakeUpstream.contentType(behavior, plan.contentType))
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    FakeUpstream.addHeaders(response, behavior);
  }

  private void step() {
    while (!ended) {
      if (next == noisePosition && !noiseWritten) {
        noiseWritten = true;
        response.write(noise(behavior.noiseBytes));
      }
      if (next == neverEndPosition) {
        keepAliveForever();
        return;
      }
      if (next == faultPosition) {
        injectFault();
        return;
      }
      if (next == events.size()) {
        end();
        return;
      }
      response.write(events.get(next++));
      boolean more = next < events.size() || next == faultPosition || next == noisePosition
          || next == neverEndPosition;
      if (chunkDelayMillis > 0 && more) {
        timerId = vertx.setTimer(chunkDelayMillis, id -> {
          timerId = -1;
          step();
        });
        return;
      }
    }
  }

  /** Heartbeats only (SSE comment lines), until the client leaves: a stream that never finishes. */
  private void keepAliveForever() {
    long every = chunkDelayMillis > 0 ? chunkDelayMillis : millis(Behavior.DEFAULT_HEARTBEAT);
    timerId = vertx.setPeriodic(every, id -> {
      if (!ended) {
        response.write(plan.heartbeat());
      }
    });
  }

  /** {@code bytes} reproducible pseudo-random bytes, then a blank line so the events after them stay readable. */
  static Buffer noise(int bytes) {
    byte[] noise = new byte[bytes];
    new Random(bytes).nextBytes(noise);
    return Buffer.buffer(bytes + 2).appendBytes(noise).appendString("\n\n");
  }

  private void injectFault() {
    if (fault == Fault.CUT) {
      ended = true;
      listener.streamEnded(false);
      FakeUpstream.closeConnection(request.connection(), false);
    } else {
      response.write(plan.errorEvent(behavior.errorEventMessage, next));
      end();
    }
  }

  private void end() {
    ended = true;
    listener.streamEnded(false);
    response.end();
  }

  private void clientGone() {
    if (ended) {
      return;
    }
    ended = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    listener.streamEnded(true);
  }

  static long millis(Duration duration) {
    if (duration.isZero() || duration.isNegative()) {
      return 0;
    }
    return Math.max(1, duration.toMillis());
  }
}
