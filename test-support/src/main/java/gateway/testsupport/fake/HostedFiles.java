package gateway.testsupport.fake;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Files the fake hands out by URL, like a provider's signed object-store links:
 * {@code /files/<token>.<ext>?Expires=<epoch seconds>&Signature=<hex>}. Past its expiry a URL answers 403 with an
 * object store's XML error (OSS, S3 and Azure all answer so); an unknown one 404. Downloads are counted per path,
 * refused ones included.
 */
final class HostedFiles {

  static final String PREFIX = "/files/";

  private record Hosted(Buffer bytes, String contentType, long expiresAtMillis, String signature) {}

  private final Map<String, Hosted> files = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();

  /** Hosts {@code bytes} and returns its absolute URL on {@code origin}, valid for {@code ttl}. */
  String host(String origin, byte[] bytes, String contentType, String extension, Duration ttl) {
    String path = PREFIX + Ids.base62("", 24) + "." + extension;
    long expires = System.currentTimeMillis() + ttl.toMillis();
    String signature = Ids.hex("", 40);
    files.put(path, new Hosted(Buffer.buffer(bytes), contentType, expires, signature));
    return origin + path + "?Expires=" + Math.max(0, expires / 1000) + "&Signature=" + signature;
  }

  boolean handles(HttpServerRequest request) {
    return (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)
        && request.path().startsWith(PREFIX);
  }

  void serve(HttpServerRequest request) {
    String path = request.path();
    downloads.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    Hosted hosted = files.get(path);
    if (hosted == null) {
      xmlError(request, 404, "NoSuchKey", "The specified key does not exist.");
      return;
    }
    if (!hosted.signature.equals(request.getParam("Signature"))) {
      xmlError(request, 403, "SignatureDoesNotMatch",
          "The request signature we calculated does not match the signature you provided.");
      return;
    }
    if (System.currentTimeMillis() >= hosted.expiresAtMillis) {
      xmlError(request, 403, "AccessDenied", "Request has expired.");
      return;
    }
    request.response().putHeader(HttpHeaders.CONTENT_TYPE, hosted.contentType)
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(hosted.bytes.length()));
    if (request.method() == HttpMethod.HEAD) {
      request.response().end();
    } else {
      request.response().end(hosted.bytes);
    }
  }

  /** Downloads of a URL (absolute, or its path with or without the query). */
  int downloadsOf(String url) {
    String path = url;
    if (url.startsWith("http://") || url.startsWith("https://")) {
      path = URI.create(url).getRawPath();
    }
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    AtomicInteger count = downloads.get(path);
    return count == null ? 0 : count.get();
  }

  /** Counts one download of a path served elsewhere (an OpenAI video's content). */
  void countDownload(String path) {
    downloads.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
  }

  void reset() {
    files.clear();
    downloads.clear();
  }

  private static void xmlError(HttpServerRequest request, int status, String code, String message) {
    String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>" + code + "</Code>\n  <Message>"
        + message + "</Message>\n  <RequestId>" + Ids.hex("", 24).toUpperCase() + "</RequestId>\n</Error>\n";
    request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/xml").end(body);
  }
}
