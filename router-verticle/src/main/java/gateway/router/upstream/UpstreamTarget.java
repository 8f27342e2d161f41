package gateway.router.upstream;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a provider URL points: host, port, TLS and the path with its query. Parsed once per URL and kept
 * ({@link RequestOptions#setAbsoluteURI} parses a {@link URL} on every call, which showed in the benchmark's
 * profile). The URLs come from channel settings and catalog model names, so they are few; the cache is still
 * emptied when it grows past {@link #MOST}, so nothing can make it grow without end.
 */
record UpstreamTarget(String host, int port, boolean ssl, String uri) {
  private static final int MOST = 4_096;
  private static final Map<String, UpstreamTarget> PARSED = new ConcurrentHashMap<>();

  static UpstreamTarget of(String url) {
    UpstreamTarget target = PARSED.get(url);
    if (target == null) {
      target = parse(url);
      if (PARSED.size() >= MOST) {
        PARSED.clear();
      }
      PARSED.put(url, target);
    }
    return target;
  }

  /** The options of a POST to this target (a new object each call: Vert.x may keep a reference to it). */
  RequestOptions post() {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setSsl(ssl).setURI(uri);
  }

  /** The same reading as {@link RequestOptions#setAbsoluteURI(URL)}. */
  private static UpstreamTarget parse(String url) {
    URL parsed;
    try {
      parsed = new URL(url);
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
    }
    boolean ssl = switch (parsed.getProtocol()) {
      case "http" -> false;
      case "https" -> true;
      default -> throw new IllegalArgumentException("not an http or https URL: " + parsed.getProtocol());
    };
    int port = parsed.getPort() >= 0 ? parsed.getPort() : ssl ? 443 : 80;
    String uri = parsed.getPath().isEmpty() ? "/" + parsed.getFile() : parsed.getFile();
    return new UpstreamTarget(parsed.getHost(), port, ssl, uri);
  }
}
