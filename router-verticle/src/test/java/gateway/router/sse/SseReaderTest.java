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

  @Test
  @DisplayName("a line longer than the limit is dropped with its event, never buffered beyond the limit, and the "
      + "events after it are read")
  void overlongLineIsDropped() {
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add, 1024);
    reader.feed(Buffer.buffer("data: {\"before\":1}\n\nevent: junk\ndata: kept-with-junk?\ndata: "));
    int mostBuffered = 0;
    for (int i = 0; i < 500; i++) {
      reader.feed(Buffer.buffer("x".repeat(100)));
      mostBuffered = Math.max(mostBuffered, reader.buffered());
    }
    reader.feed(Buffer.buffer("xxx\r\n\r\ndata: {\"after\":2}\n\n"));
    reader.end();
    assertThat(mostBuffered).isLessThanOrEqualTo(1024 + 100);
    assertThat(events).containsExactly(new SseEvent(null, "{\"before\":1}"), new SseEvent(null, "{\"after\":2}"));
  }

  @Test
  @DisplayName("a long line in many chunks, under the limit, arrives whole")
  void longLineInManyChunks() {
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add);
    String payload = "y".repeat(200_000);
    Buffer stream = Buffer.buffer("event: big\ndata: " + payload + "\n\n");
    for (int at = 0; at < stream.length(); at += 1000) {
      reader.feed(stream.getBuffer(at, Math.min(stream.length(), at + 1000)));
    }
    assertThat(events).containsExactly(new SseEvent("big", payload));
    assertThat(reader.buffered()).isZero();
  }
}
