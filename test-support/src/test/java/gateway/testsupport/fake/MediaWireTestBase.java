package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Binary-safe requests and multipart bodies for the media wire tests. */
abstract class MediaWireTestBase extends FakeUpstreamTestBase {

  /** A response read as bytes. */
  record Got(int status, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }

    String header(String name) {
      return headers.get(name);
    }
  }

  Future<Got> call(HttpMethod method, String uri, Buffer body, String... headers) {
    String relative = uri;
    if (uri.startsWith("http")) {
      java.net.URI parsed = java.net.URI.create(uri);
      relative = parsed.getRawPath() + (parsed.getRawQuery() == null ? "" : "?" + parsed.getRawQuery());
    }
    RequestOptions options = new RequestOptions().setMethod(method).setURI(relative);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return client.sendRaw(options, body == null ? Buffer.buffer() : body,
        (response, b) -> new Got(response.statusCode(), response.headers(), b));
  }

  Future<Got> get(String uri, String... headers) {
    return call(HttpMethod.GET, uri, null, headers);
  }

  Future<Got> postJson(String uri, JsonObject body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Content-Type";
    all[1] = "application/json";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return call(HttpMethod.POST, uri, body.toBuffer(), all);
  }

  /** A {@code multipart/form-data} body built part by part, as the OpenAI SDKs send one. */
  static final class Multipart {
    final String boundary = "----fake" + UUID.randomUUID().toString().replace("-", "");
    private final Buffer body = Buffer.buffer();

    Multipart field(String name, String value) {
      body.appendString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n")
          .appendString(value, StandardCharsets.UTF_8.name()).appendString("\r\n");
      return this;
    }

    Multipart file(String name, String filename, String contentType, byte[] bytes) {
      body.appendString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
          + filename + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").appendBytes(bytes).appendString("\r\n");
      return this;
    }

    Buffer build() {
      return body.copy().appendString("--" + boundary + "--\r\n");
    }

    String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }
  }

  Future<Got> postForm(String uri, Multipart form, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Content-Type";
    all[1] = form.contentType();
    System.arraycopy(headers, 0, all, 2, headers.length);
    return call(HttpMethod.POST, uri, form.build(), all);
  }
}
