package gateway.router.sse;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Parses a server-sent event stream as it arrives: lines may end in LF, CRLF or CR, an
 * event (or a line, or a UTF-8 character) may be split across network chunks, several
 * {@code data:} lines join with LF, comments are skipped, a blank line dispatches.
 * Every upstream protocol's stream goes through this one reader.
 *
 * <p>Each byte is looked at once, however many chunks a long line comes in, and a line longer
 * than {@link #MAX_LINE_BYTES} (garbage from a broken upstream: no legitimate event is that
 * large) is dropped up to its end instead of being buffered without bound.
 */
public final class SseReader {
  /** The longest line kept: well above a base64 image in one event. */
  public static final int MAX_LINE_BYTES = 32 * 1024 * 1024;

  private final Consumer<SseEvent> sink;
  private final int maxLineBytes;
  private Buffer pending = Buffer.buffer();
  // Bytes at the start of pending already looked at: none of them ends a line.
  private int scanned;
  // The current line outgrew the limit: its bytes are skipped until it ends.
  private boolean dropping;
  private boolean skipLeadingLf;
  private String eventType;
  private StringBuilder data;

  public SseReader(Consumer<SseEvent> sink) {
    this(sink, MAX_LINE_BYTES);
  }

  SseReader(Consumer<SseEvent> sink, int maxLineBytes) {
    this.sink = sink;
    this.maxLineBytes = maxLineBytes;
  }

  public void feed(Buffer chunk) {
    if (dropping) {
      int end = lineEnd(chunk);
      if (end < 0) {
        return;
      }
      dropping = false;
      skipLeadingLf = chunk.getByte(end) == '\r';
      chunk = chunk.getBuffer(end + 1, chunk.length());
    }
    pending.appendBuffer(chunk);
    int lineStart = 0;
    int length = pending.length();
    for (int i = scanned; i < length; i++) {
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
    scanned = pending.length();
    if (scanned > maxLineBytes) {
      // The event this line belongs to is garbage as a whole.
      pending = Buffer.buffer();
      scanned = 0;
      dropping = true;
      data = null;
      eventType = null;
    }
  }

  /** Bytes held for a line not ended yet. */
  int buffered() {
    return pending.length();
  }

  /** Where the first line end (CR or LF) of a chunk is, or -1. */
  private static int lineEnd(Buffer chunk) {
    for (int i = 0; i < chunk.length(); i++) {
      byte b = chunk.getByte(i);
      if (b == '\n' || b == '\r') {
        return i;
      }
    }
    return -1;
  }

  /** The stream ended: a last event without its blank line is still delivered. */
  public void end() {
    if (pending.length() > 0 && !dropping) {
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
