package gateway.router.media;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A {@code multipart/form-data} body (RFC 7578) built field by field, for upstreams that take forms (OpenAI image
 * edits, OpenAI video creation with a reference image). Names and file names are quoted with {@code "} and line
 * breaks escaped, so a client's file name cannot inject a part.
 */
public final class MultipartBody {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String boundary;
  private final Buffer body = Buffer.buffer();

  public MultipartBody() {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    this.boundary = "----gateway" + HexFormat.of().formatHex(random);
  }

  public MultipartBody field(String name, String value) {
    body.appendString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quote(name) + "\"\r\n\r\n")
        .appendBuffer(Buffer.buffer(value.getBytes(StandardCharsets.UTF_8))).appendString("\r\n");
    return this;
  }

  public MultipartBody file(String name, MediaInput file) {
    body.appendString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quote(name) + "\"; filename=\""
            + quote(file.filename()) + "\"\r\nContent-Type: " + file.contentType().replaceAll("[\r\n]", "") + "\r\n\r\n")
        .appendBuffer(file.bytes()).appendString("\r\n");
    return this;
  }

  /** The {@code Content-Type} header value, with the boundary. */
  public String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  public Buffer build() {
    return body.copy().appendString("--" + boundary + "--\r\n");
  }

  private static String quote(String s) {
    return s.replace("\\", "\\\\").replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
  }
}
