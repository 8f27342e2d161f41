package gateway.router.e2e;

import static gateway.testsupport.Await.result;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A provider that answers every call with one recorded wire sample, byte for byte (an SSE
 * transcript or a JSON body), and keeps what it was sent: for checking that a pass-through
 * changes nothing the client should not see changed.
 */
final class ReplayUpstream {
  /** A request as the provider received it. */
  record Received(String path, MultiMap headers, JsonObject body) {
  }

  private final List<Received> received = new ArrayList<>();
  private volatile String contentType = "application/json";
  private volatile Buffer answer = Buffer.buffer("{}");
  private HttpServer server;

  static ReplayUpstream start(Vertx vertx) {
    ReplayUpstream upstream = new ReplayUpstream();
    upstream.server = result(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      synchronized (upstream.received) {
        upstream.received.add(new Received(request.path(), MultiMap.caseInsensitiveMultiMap()
            .addAll(request.headers()), body.toJsonObject()));
      }
      request.response().putHeader("content-type", upstream.contentType).end(upstream.answer);
    })).listen(0, "127.0.0.1"));
    return upstream;
  }

  /** Every call from now on gets this sample. */
  ReplayUpstream answer(String contentType, Buffer sample) {
    this.contentType = contentType;
    this.answer = sample;
    return this;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }
}
