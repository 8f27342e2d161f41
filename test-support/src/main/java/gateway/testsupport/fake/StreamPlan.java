package gateway.testsupport.fake;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Every event of one streamed answer, already framed and encoded, in order. Content events (generated text or
 * tool-call fragments) are flagged so faults can be injected after the n-th one.
 */
final class StreamPlan {

  /** Builds the protocol's in-stream error event; {@code eventsWritten} is how many events were sent before it. */
  @FunctionalInterface
  interface ErrorEvent {
    Buffer create(String message, int eventsWritten);
  }

  final String contentType;
  private final List<Buffer> events = new ArrayList<>();
  private final List<Integer> contentPositions = new ArrayList<>();
  private int finishPosition = -1;
  private boolean lastContentFinishes;
  private Buffer heartbeat = Buffer.buffer(": keep-alive\n\n");
  private ErrorEvent errorEvent;

  StreamPlan(String contentType) {
    this.contentType = contentType;
  }

  StreamPlan frame(Buffer event) {
    events.add(event);
    return this;
  }

  StreamPlan content(Buffer event) {
    contentPositions.add(events.size());
    events.add(event);
    return this;
  }

  /** Marks where the finishing events start (where a fault lands when there is no content at all). */
  StreamPlan finishHere() {
    finishPosition = events.size();
    return this;
  }

  /** The last content event also finishes the answer (Gemini's carries the finish reason). */
  StreamPlan lastContentFinishes() {
    lastContentFinishes = true;
    return this;
  }

  /** What a stream that never ends sends while it idles: an SSE comment unless the format says otherwise. */
  StreamPlan heartbeat(Buffer bytes) {
    heartbeat = bytes;
    return this;
  }

  Buffer heartbeat() {
    return heartbeat.copy();
  }

  /** How many events to write before a stream that never ends starts idling: all but the finishing ones. */
  int positionBeforeFinish() {
    if (lastContentFinishes && !contentPositions.isEmpty()) {
      return contentPositions.get(contentPositions.size() - 1);
    }
    return positionAfterContent(Integer.MAX_VALUE);
  }

  StreamPlan onError(ErrorEvent factory) {
    this.errorEvent = factory;
    return this;
  }

  List<Buffer> events() {
    return events;
  }

  Buffer errorEvent(String message, int eventsWritten) {
    return errorEvent.create(message, eventsWritten);
  }

  /** How many events to write before a fault "after n content deltas". */
  int positionAfterContent(int n) {
    if (contentPositions.isEmpty()) {
      return finishPosition >= 0 ? finishPosition : events.size();
    }
    int k = Math.min(n, contentPositions.size());
    return k == 0 ? contentPositions.get(0) : contentPositions.get(k - 1) + 1;
  }
}
