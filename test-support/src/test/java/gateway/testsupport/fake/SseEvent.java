package gateway.testsupport.fake;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** One server-sent event as a client sees it: its {@code event:} name (null if none) and joined {@code data:}. */
record SseEvent(String event, String data) {

  JsonObject json() {
    return new JsonObject(data);
  }

  boolean isDone() {
    return "[DONE]".equals(data);
  }

  /** Parses a complete or truncated SSE body line by line (LF, CRLF or CR endings), as the SSE spec reads it. */
  static List<SseEvent> parse(String body) {
    List<SseEvent> events = new ArrayList<>();
    String event = null;
    StringBuilder data = null;
    int i = 0;
    while (i < body.length()) {
      int end = i;
      while (end < body.length() && body.charAt(end) != '\n' && body.charAt(end) != '\r') {
        end++;
      }
      if (end == body.length()) {
        break;
      }
      String line = body.substring(i, end);
      i = end + (body.charAt(end) == '\r' && end + 1 < body.length() && body.charAt(end + 1) == '\n' ? 2 : 1);
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new SseEvent(event, data.toString()));
        }
        event = null;
        data = null;
      } else if (line.startsWith("event:")) {
        event = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        String value = line.substring(5);
        value = value.startsWith(" ") ? value.substring(1) : value;
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
    }
    return events;
  }
}
