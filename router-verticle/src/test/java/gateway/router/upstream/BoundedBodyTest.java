package gateway.router.upstream;

import static gateway.testsupport.Await.failure;
import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A provider that keeps sending one body cannot make the router hold more than the bound. */
@ExtendWith(VertxExtension.class)
class BoundedBodyTest {
  private static final int CHUNK = 64 * 1024;

  private HttpClient client;
  private int port;

  @BeforeEach
  void serveAnEndlessBody(Vertx vertx) {
    // Writes 64 KiB chunks until the reader goes away: an answer with no end.
    HttpServer server = result(vertx.createHttpServer().requestHandler(request -> {
      request.response().setChunked(true);
      long timer = vertx.setPeriodic(1, id -> {
        if (!request.response().writeQueueFull()) {
          request.response().write(Buffer.buffer(new byte[CHUNK]));
        }
      });
      request.connection().closeHandler(v -> vertx.cancelTimer(timer));
      request.response().closeHandler(v -> vertx.cancelTimer(timer));
    }).listen(0, "127.0.0.1"));
    port = server.actualPort();
    client = vertx.createHttpClient();
  }

  @Test
  @DisplayName("a whole answer past its bound fails as too large, and the download is abandoned")
  void answerPastItsBoundFails() {
    Throwable failed = failure(client.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(request -> request.send())
        .compose(response -> BoundedBody.read(response, 1024 * 1024, false)));
    assertThat(failed).isInstanceOf(BoundedBody.TooLarge.class);
  }

  @Test
  @DisplayName("an error answer is cut at its bound and kept that far")
  void errorAnswerIsTruncated() {
    Buffer body = result(client.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(request -> request.send())
        .compose(response -> BoundedBody.read(response, BoundedBody.MAX_ERROR_BYTES, true)));
    assertThat(body.length()).isEqualTo(BoundedBody.MAX_ERROR_BYTES);
  }
}
