package gateway.media.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("S3 media store, against a real S3-protocol server (s3proxy)")
class S3MediaStoreTest extends MediaStoreContractTest {

  private static final long MAX = 2_000_000;
  private static S3ProxyServer server;

  @TempDir
  Path dir;
  private String bucket;
  private S3MediaStore store;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void open(Vertx vertx, VertxTestContext ctx) {
    bucket = "media-" + UUID.randomUUID().toString().substring(0, 8);
    server.createBucket(bucket);
    MediaStorageConfig config = MediaStorageConfig.local(dir).withMaxObjectBytes(MAX)
        .withS3(server.settings(bucket, "gw/media/"));
    new S3MediaStore(vertx, config).open().onComplete(ctx.succeeding(s -> {
      store = s;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void close(VertxTestContext ctx) {
    store.close().onComplete(ctx.succeedingThenComplete());
  }

  @Override
  MediaStore store() {
    return store;
  }

  @Override
  long maxObjectBytes() {
    return MAX;
  }

  @Override
  Future<Integer> leftovers() {
    try (S3Client raw = server.rawClient(); Stream<Path> spool = Files.list(dir.resolve(LocalMediaStore.TMP_DIR))) {
      return Future.succeededFuture(raw.listObjectsV2(b -> b.bucket(bucket)).keyCount() + (int) spool.count());
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
  }

  @Test
  @DisplayName("objects land under the key prefix with their Content-Type and creation time, readable by any S3 client")
  void keysAndMetadata(Vertx vertx, VertxTestContext ctx) {
    Buffer png = randomBytes(1234, 7);
    store.put(png, "image/png").onComplete(ctx.succeeding(o -> ctx.verify(() -> {
      try (S3Client raw = server.rawClient()) {
        List<S3Object> objects = raw.listObjectsV2(b -> b.bucket(bucket)).contents();
        assertThat(objects).extracting(S3Object::key).containsExactly("gw/media/" + o.id());
        ResponseBytes<GetObjectResponse> got = raw.getObjectAsBytes(b -> b.bucket(bucket).key("gw/media/" + o.id()));
        assertThat(got.asByteArray()).isEqualTo(png.getBytes());
        assertThat(got.response().contentType()).isEqualTo("image/png");
        assertThat(got.response().metadata()).containsEntry("created", Long.toString(o.created().toEpochMilli()));
      }
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a wrong secret fails the put instead of pretending it stored anything")
  void wrongSecret(Vertx vertx, VertxTestContext ctx) {
    MediaStorageConfig.S3 good = server.settings(bucket, "");
    MediaStorageConfig.S3 bad = new MediaStorageConfig.S3(bucket, good.endpoint(), good.region(), good.accessKeyId(),
        "not-the-secret", true, "");
    S3MediaStore wrong = new S3MediaStore(vertx, MediaStorageConfig.local(dir).withS3(bad));
    wrong.put(Buffer.buffer("x"), "image/png").eventually(wrong::close).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(e.getMessage()).doesNotContain("not-the-secret");
      ctx.completeNow();
    })));
  }
}
