package gateway.router.media;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * One HTTP request to a media upstream, ready to send: method, absolute URL, headers (auth included) and body
 * (null for a GET). Built by the provider mappers; sent by the exchange.
 */
public record MediaCall(HttpMethod method, String url, MultiMap headers, Buffer body) {

  public static MediaCall get(String url, MultiMap headers) {
    return new MediaCall(HttpMethod.GET, url, headers, null);
  }

  public static MediaCall post(String url, MultiMap headers, Buffer body) {
    return new MediaCall(HttpMethod.POST, url, headers, body);
  }
}
