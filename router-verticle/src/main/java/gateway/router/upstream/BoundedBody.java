package gateway.router.upstream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Reads a provider's whole answer, at most so many bytes: a broken or hostile upstream that keeps
 * sending one body must not fill the router's memory until the total timeout.
 */
public final class BoundedBody {
  /** The most of a provider's error answer kept; the rest is not read. */
  public static final int MAX_ERROR_BYTES = 64 * 1024;

  private BoundedBody() {
  }

  /**
   * The body, failed once it passes {@code maxBytes}, or, with {@code truncate}, completed with its
   * first {@code maxBytes} bytes at that point; either way the rest of the download is abandoned.
   */
  public static Future<Buffer> read(HttpClientResponse response, long maxBytes, boolean truncate) {
    Promise<Buffer> body = Promise.promise();
    Buffer collected = Buffer.buffer();
    response.handler(chunk -> {
      if (body.future().isComplete()) {
        return;
      }
      if (collected.length() + (long) chunk.length() > maxBytes) {
        if (truncate) {
          collected.appendBuffer(chunk, 0, (int) (maxBytes - collected.length()));
          body.tryComplete(collected);
        } else {
          body.tryFail(new TooLarge(maxBytes));
        }
        response.request().reset(); // the rest is not wanted: stop the provider sending it
        return;
      }
      collected.appendBuffer(chunk);
    });
    response.endHandler(v -> body.tryComplete(collected));
    response.exceptionHandler(body::tryFail);
    return body.future();
  }

  /** The answer passed its bound. */
  public static final class TooLarge extends RuntimeException {
    TooLarge(long maxBytes) {
      super("the answer is larger than " + maxBytes + " bytes", null, false, false);
    }
  }
}
