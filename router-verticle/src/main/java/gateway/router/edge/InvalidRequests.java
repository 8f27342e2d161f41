package gateway.router.edge;

import gateway.common.GatewayError;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's handler for requests its HTTP decoder could not read (a request line or headers longer than
 * the limits below, a malformed or repeated Content-Length, ...), which Vert.x would answer with an empty body: the same
 * errors in the client's JSON shape (Anthropic's on {@code /v1/messages} when the path could be read), then the
 * connection is closed, since nothing after the broken part can be trusted.
 */
public final class InvalidRequests {
  /** The longest request line the server reads (method, URI with its query, version). */
  public static final int MAX_REQUEST_LINE_BYTES = 4096;
  /** The most bytes of headers the server reads. */
  public static final int MAX_HEADER_BYTES = 8192;
  private static final Logger LOG = LoggerFactory.getLogger(InvalidRequests.class);

  private InvalidRequests() {
  }

  public static void handle(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result.cause();
    GatewayError error;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      error = GatewayError.URI_TOO_LONG;
      message = "The request line is longer than the gateway accepts (" + MAX_REQUEST_LINE_BYTES + " bytes).";
    } else if (cause instanceof TooLongHttpHeaderException) {
      error = GatewayError.HEADERS_TOO_LARGE;
      message = "The request headers are larger than the gateway accepts (" + MAX_HEADER_BYTES + " bytes).";
    } else {
      error = GatewayError.MALFORMED_HTTP;
      message = "The request is not valid HTTP/1.1 (check its Content-Length and header syntax).";
    }
    LOG.debug("unreadable request from {}: {}", request.remoteAddress(), cause == null ? "?" : cause.getMessage());
    String path = safePath(request);
    JsonObject body = path != null && path.startsWith("/v1/messages")
        ? ErrorResponses.anthropicBody(error.status, error.type, message)
        : ErrorResponses.openAiBody(error.type, error.code, message, null);
    request.response()
        .setStatusCode(error.status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
        .putHeader(RequestIds.HEADER, RequestIds.next())
        .end(body.toBuffer())
        .onComplete(written -> request.connection().close());
  }

  private static String safePath(HttpServerRequest request) {
    try {
      return request.path();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
