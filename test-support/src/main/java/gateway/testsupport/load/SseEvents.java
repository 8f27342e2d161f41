package gateway.testsupport.load;

import java.util.ArrayList;
import java.util.List;

/** Reads a complete or broken-off server-sent event stream as a client does: the events it dispatched. */
final class SseEvents {

  /** One dispatched event: its {@code event:} name (null when none) and its joined {@code data:} lines. */
  record Event(String type, String data) {
  }

  private SseEvents() {
  }

  static List<Event> parse(String body) {
    List<Event> events = new ArrayList<>();
    String type = null;
    StringBuilder data = null;
    int i = 0;
    while (i < body.length()) {
      int end = i;
      while (end < body.length() && body.charAt(end) != '\n' && body.charAt(end) != '\r') {
        end++;
      }
      if (end == body.length()) {
        break; // a last line without its end is never dispatched
      }
      String line = body.substring(i, end);
      i = end + (body.charAt(end) == '\r' && end + 1 < body.length() && body.charAt(end + 1) == '\n' ? 2 : 1);
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(type, data.toString()));
        }
        type = null;
        data = null;
      } else if (line.startsWith("event:")) {
        type = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        String value = line.substring(5);
        value = value.startsWith(" ") ? value.substring(1) : value;
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
    }
    return events;
  }

  /** How many events a body received so far has dispatched: blank lines that end an event. */
  static int countEnded(CharSequence body) {
    int count = 0;
    for (int i = 1; i < body.length(); i++) {
      if (body.charAt(i) == '\n' && body.charAt(i - 1) == '\n') {
        count++;
      }
    }
    return count;
  }
}
