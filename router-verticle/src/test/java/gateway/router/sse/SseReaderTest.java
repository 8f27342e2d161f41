package gateway.router.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  private static final String STREAM = "event: message_start\r\ndata: {\"a\":\"é🙂\"}\r\n\r\n"
      + ": a comment\n"
      + "data: line one\ndata: line two\n\n"
      + "event: ping\rdata: {}\r\r"
      + "data:no-space\n\n";

  @Test
  @DisplayName("events are the same whether the stream arrives whole or one byte at a time (CRLF, CR, UTF-8 split)")
  void splitAnywhere() {
    List<SseEvent> whole = read(List.of(Buffer.buffer(STREAM)));
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    List<Buffer> single = new ArrayList<>();
    for (byte b : bytes) {
      single.add(Buffer.buffer(new byte[] {b}));
    }
    assertThat(read(single)).isEqualTo(whole);
    assertThat(whole).containsExactly(
        new SseEvent("message_start", "{\"a\":\"é🙂\"}"),
        new SseEvent(null, "line one\nline two"),
        new SseEvent("ping", "{}"),
        new SseEvent(null, "no-space"));
  }

  @Test
  @DisplayName("a last event without its blank line is still delivered at the end of the stream")
  void lastEventWithoutTerminator() {
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add);
    reader.feed(Buffer.buffer("data: {\"done\":true}"));
    assertThat(events).isEmpty();
    reader.end();
    assertThat(events).containsExactly(new SseEvent(null, "{\"done\":true}"));
  }

  private static List<SseEvent> read(List<Buffer> chunks) {
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add);
    chunks.forEach(reader::feed);
    reader.end();
    return events;
  }
}
