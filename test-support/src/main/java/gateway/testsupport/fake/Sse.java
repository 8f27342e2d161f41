package gateway.testsupport.fake;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/** Server-sent-event framing with the constant parts encoded once. */
final class Sse {

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LF = "\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LF_LF = "\n\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CRLF_CRLF = "\r\n\r\n".getBytes(StandardCharsets.UTF_8);

  private Sse() {
  }

  /** {@code data: <json>\n\n} (OpenAI chat). */
  static Buffer data(JsonObject json) {
    Buffer payload = json.toBuffer();
    return Buffer.buffer(payload.length() + 8).appendBytes(DATA).appendBuffer(payload).appendBytes(LF_LF);
  }

  /** {@code data: <json>\r\n\r\n} (Gemini). */
  static Buffer dataCrlf(JsonObject json) {
    Buffer payload = json.toBuffer();
    return Buffer.buffer(payload.length() + 10).appendBytes(DATA).appendBuffer(payload).appendBytes(CRLF_CRLF);
  }

  /** {@code event: <name>\ndata: <json>\n\n} (Anthropic, OpenAI Responses). */
  static Buffer event(String name, JsonObject json) {
    Buffer payload = json.toBuffer();
    return Buffer.buffer(payload.length() + name.length() + 16)
        .appendBytes(EVENT).appendString(name).appendBytes(LF)
        .appendBytes(DATA).appendBuffer(payload).appendBytes(LF_LF);
  }

  static Buffer constant(String raw) {
    return Buffer.buffer(raw.getBytes(StandardCharsets.UTF_8));
  }
}
