package gateway.router.sse;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Parses a server-sent event stream as it arrives: lines may end in LF, CRLF or CR, an
 * event (or a line, or a UTF-8 character) may be split across network chunks, several
 * {@code data:} lines join with LF, comments are skipped, a blank line dispatches.
 * Every upstream protocol's stream goes through this one reader.
 */
public final class SseReader {
  private final Consumer<SseEvent> sink;
  private Buffer pending = Buffer.buffer();
  private boolean skipLeadingLf;
  private String eventType;
  private StringBuilder data;

  public SseReader(Consumer<SseEvent> sink) {
    this.sink = sink;
  }

  public void feed(Buffer chunk) {
    pending.appendBuffer(chunk);
    int lineStart = 0;
    int length = pending.length();
    for (int i = 0; i < length; i++) {
      byte b = pending.getByte(i);
      if (skipLeadingLf) {
        skipLeadingLf = false;
        if (b == '\n') {
          lineStart = i + 1;
          continue;
        }
      }
      if (b == '\n' || b == '\r') {
        line(pending.getString(lineStart, i, StandardCharsets.UTF_8.name()));
        skipLeadingLf = b == '\r';
        lineStart = i + 1;
      }
    }
    pending = lineStart == 0 ? pending : pending.getBuffer(lineStart, length);
  }

  /** The stream ended: a last event without its blank line is still delivered. */
  public void end() {
    if (pending.length() > 0) {
      line(pending.toString(StandardCharsets.UTF_8));
      pending = Buffer.buffer();
    }
    dispatch();
  }

  private void line(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("data")) {
      if (data == null) {
        data = new StringBuilder(value);
      } else {
        data.append('\n').append(value);
      }
    } else if (field.equals("event")) {
      eventType = value;
    }
  }

  private void dispatch() {
    if (data != null) {
      sink.accept(new SseEvent(eventType, data.toString()));
    }
    data = null;
    eventType = null;
  }
}
