package gateway.testsupport.fake;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** A plain Vert.x HTTP client against the fake, collecting whole exchanges (partial ones included). */
final class TestClient {

  private final Vertx vertx;
  private final Context context;
  private final HttpClient http;
  private final int port;

  TestClient(Vertx vertx, FakeUpstream fake) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.http = vertx.httpClientBuilder()
        .withConnectHandler(connection -> connection.exceptionHandler(expectedInFaultTests -> { }))
        .build();
    this.port = fake.port();
  }

  Future<Exchange> post(String uri, JsonObject body, MultiMap headers) {
    return send(HttpMethod.POST, uri, body == null ? Buffer.buffer() : body.toBuffer(), headers, null);
  }

  Future<Exchange> post(Proto proto, String model, boolean stream) {
    return post(proto.uri(model, stream), proto.body(model, stream), proto.headers(null));
  }

  /** Sends and collects; {@code onData} sees the response and each buffer as it arrives. */
  Future<Exchange> send(HttpMethod method, String uri, Buffer body, MultiMap headers,
                        java.util.function.BiConsumer<HttpClientResponse, Buffer> onData) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri);
    if (headers != null) {
      options.setHeaders(headers);
    }
    return onContext(() -> http.request(options)
        .compose(request -> request.send(body))
        .compose(response -> collect(response, onData)));
  }

  /** Sends and hands back the response head only (for tests about what comes before, or instead of, a body). */
  Future<HttpClientResponse> sendRaw(RequestOptions options, Buffer body) {
    return onContext(() -> http.request(options.setHost("127.0.0.1").setPort(port))
        .compose(request -> request.send(body)));
  }

  /**
   * Sends and hands the response with its whole body to {@code read}, which runs in the event-loop task that received
   * the head: a caller composing {@code response.body()} itself, later, could miss a body that came in the same read.
   */
  <T> Future<T> sendRaw(RequestOptions options, Buffer body,
                        java.util.function.BiFunction<HttpClientResponse, Buffer, T> read) {
    return onContext(() -> http.request(options.setHost("127.0.0.1").setPort(port))
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(bytes -> read.apply(response, bytes))));
  }

  /**
   * Runs a request on the client's own context, so the response head is handed over in the same event-loop task
   * that receives it and the body handlers are in place before any body arrives.
   */
  private <T> Future<T> onContext(Supplier<Future<T>> call) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(promise));
    return promise.future();
  }

  private static Future<Exchange> collect(HttpClientResponse response,
                                          java.util.function.BiConsumer<HttpClientResponse, Buffer> onData) {
    Promise<Exchange> done = Promise.promise();
    Buffer received = Buffer.buffer();
    int[] reads = {0};
    long[] times = {0, 0};
    response.handler(buffer -> {
      long now = System.nanoTime();
      if (reads[0]++ == 0) {
        times[0] = now;
      }
      times[1] = now;
      received.appendBuffer(buffer);
      if (onData != null) {
        onData.accept(response, buffer);
      }
    });
    response.end().onComplete(ar -> done.complete(new Exchange(response.statusCode(), response.headers(),
        received.toString(), reads[0], ar.cause(), times[0], times[1])));
    return done.future();
  }

  /** Completes when the condition holds, polling every 10 ms; fails after {@code timeoutMillis}. */
  Future<Void> eventually(BooleanSupplier condition, long timeoutMillis) {
    Promise<Void> promise = Promise.promise();
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    vertx.setPeriodic(10, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        promise.tryComplete();
      } else if (System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        promise.tryFail("condition not met within " + timeoutMillis + " ms");
      }
    });
    return promise.future();
  }

  Future<Void> close() {
    return http.close();
  }

  static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }
}
