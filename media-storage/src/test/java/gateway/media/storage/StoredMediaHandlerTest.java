package gateway.media.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The handler behind a real Vert.x HTTP server, over both stores, fetched with a real HTTP client. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
@DisplayName("Stored media handler over HTTP")
class StoredMediaHandlerTest {

  private static S3ProxyServer s3;

  @TempDir
  Path dir;
  private MediaStore store;
  private HttpServer server;
  private HttpClient client;

  /** What the client got: status, headers, body. */
  record Got(int status, io.vertx.core.MultiMap headers, Buffer body) {
    String header(String name) {
      return headers.get(name);
    }

    JsonObject error() {
      return body.toJsonObject().getJsonObject("error");
    }
  }

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    client.close().eventually(server::close).eventually(store::close).onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> start(Vertx vertx, String kind) {
    MediaStorageConfig local = MediaStorageConfig.local(dir);
    Future<MediaStore> opened;
    if (kind.equals("s3")) {
      String bucket = "serve-" + UUID.randomUUID().toString().substring(0, 8);
      s3.createBucket(bucket);
      opened = new S3MediaStore(vertx, local.withS3(s3.settings(bucket, ""))).open().map(s -> s);
    } else {
      opened = new LocalMediaStore(vertx, local).open().map(s -> s);
    }
    client = vertx.createHttpClient();
    return opened.compose(s -> {
      store = s;
      Router router = Router.router(vertx);
      StoredMediaHandler.mount(router, "/media", s);
      return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1");
    }).map(srv -> {
      server = srv;
      return null;
    });
  }

  private Future<Got> fetch(HttpMethod method, String path, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI(path);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return client.request(options).compose(r -> r.send())
        .compose((HttpClientResponse r) -> r.body().map(b -> new Got(r.statusCode(), r.headers(), b)));
  }

  private static Buffer bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return Buffer.buffer(b);
  }

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"local", "s3"})
  @DisplayName("GET serves the bytes with their type, long immutable caching, an ETag and Accept-Ranges; a matching"
      + " If-None-Match is a 304")
  void get(String kind, Vertx vertx, VertxTestContext ctx) {
    Buffer video = bytes(300_000);
    start(vertx, kind).compose(v -> store.put(video, "video/mp4")).compose(o -> fetch(HttpMethod.GET, store.publicUrl(o.id()))
            .compose(got -> fetch(HttpMethod.GET, "/media/" + o.id(), "If-None-Match", got.header("ETag"))
                .map(notModified -> new Got[] {got, notModified})))
        .onComplete(ctx.succeeding(got -> ctx.verify(() -> {
          assertThat(got[0].status()).isEqualTo(200);
          assertThat(got[0].header("Content-Type")).isEqualTo("video/mp4");
          assertThat(got[0].header("Content-Length")).isEqualTo("300000");
          assertThat(got[0].header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
          assertThat(got[0].header("Accept-Ranges")).isEqualTo("bytes");
          assertThat(got[0].header("ETag")).startsWith("\"").endsWith("\"");
          assertThat(got[0].header("X-Content-Type-Options")).isEqualTo("nosniff");
          assertThat(got[0].body()).isEqualTo(video);
          assertThat(got[1].status()).isEqualTo(304);
          assertThat(got[1].body().length()).isZero();
          ctx.completeNow();
        })));
  }

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"local", "s3"})
  @DisplayName("Range gives a 206 with Content-Range for a span, an open end and a suffix; past the end is a 416")
  void ranges(String kind, Vertx vertx, VertxTestContext ctx) {
    Buffer video = bytes(1000);
    start(vertx, kind).compose(v -> store.put(video, "video/mp4")).compose(o -> {
      String path = "/media/" + o.id();
      return Future.all(
          fetch(HttpMethod.GET, path, "Range", "bytes=100-199"),
          fetch(HttpMethod.GET, path, "Range", "bytes=990-"),
          fetch(HttpMethod.GET, path, "Range", "bytes=-5"),
          fetch(HttpMethod.GET, path, "Range", "bytes=1000-1005"),
          fetch(HttpMethod.GET, path, "Range", "bytes=0-1,5-6"),
          fetch(HttpMethod.GET, path, "Range", "bytes=0-9", "If-Range", "\"other\""));
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      Got span = all.resultAt(0);
      assertThat(span.status()).isEqualTo(206);
      assertThat(span.header("Content-Range")).isEqualTo("bytes 100-199/1000");
      assertThat(span.header("Content-Length")).isEqualTo("100");
      assertThat(span.body()).isEqualTo(video.getBuffer(100, 200));
      Got open = all.resultAt(1);
      assertThat(open.header("Content-Range")).isEqualTo("bytes 990-999/1000");
      assertThat(open.body()).isEqualTo(video.getBuffer(990, 1000));
      Got suffix = all.resultAt(2);
      assertThat(suffix.header("Content-Range")).isEqualTo("bytes 995-999/1000");
      assertThat(suffix.body()).isEqualTo(video.getBuffer(995, 1000));
      Got past = all.resultAt(3);
      assertThat(past.status()).isEqualTo(416);
      assertThat(past.header("Content-Range")).isEqualTo("bytes */1000");
      assertThat(past.error().getString("code")).isEqualTo("range_not_satisfiable");
      Got several = all.resultAt(4);
      assertThat(several.status()).isEqualTo(200);
      assertThat(several.body()).isEqualTo(video);
      Got staleIfRange = all.resultAt(5);
      assertThat(staleIfRange.status()).isEqualTo(200);
      assertThat(staleIfRange.body().length()).isEqualTo(1000);
      ctx.completeNow();
    })));
  }

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"local", "s3"})
  @DisplayName("HEAD gives the headers and length without a body; an unknown or malformed id is a 404 in OpenAI's shape")
  void headAndNotFound(String kind, Vertx vertx, VertxTestContext ctx) {
    start(vertx, kind).compose(v -> store.put(bytes(4321), "image/png")).compose(o -> Future.all(
            fetch(HttpMethod.HEAD, "/media/" + o.id()),
            fetch(HttpMethod.GET, "/media/" + MediaIds.newId("image/png")),
            fetch(HttpMethod.GET, "/media/..%2F..%2Fetc%2Fpasswd"),
            fetch(HttpMethod.GET, "/media/" + o.id().substring(0, 20))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Got head = all.resultAt(0);
          assertThat(head.status()).isEqualTo(200);
          assertThat(head.header("Content-Type")).isEqualTo("image/png");
          assertThat(head.header("Content-Length")).isEqualTo("4321");
          assertThat(head.body().length()).isZero();
          for (int i = 1; i <= 3; i++) {
            Got missing = all.resultAt(i);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("Content-Type")).isEqualTo("application/json");
            assertThat(missing.header("Cache-Control")).isEqualTo("no-store");
            JsonObject error = missing.error();
            assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "code", "param");
            assertThat(error.getString("type")).isEqualTo("invalid_request_error");
            assertThat(error.getString("code")).isEqualTo("not_found");
            assertThat(error.getString("param")).isEqualTo("id");
          }
          ctx.completeNow();
        })));
  }
}
