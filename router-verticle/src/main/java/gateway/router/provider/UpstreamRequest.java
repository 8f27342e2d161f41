package gateway.router.provider;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** An HTTP POST to a provider, ready to send: absolute URL, headers (auth included) and body. */
public record UpstreamRequest(String url, MultiMap headers, Buffer body) {
}
