package gateway.media.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GATEWAY_MEDIA_RETENTION_DAYS} on the S3 store, against a real S3-protocol server (s3proxy on its
 * file-system store, whose file times are the objects' {@code LastModified}): the sweeper's clock moves "now"
 * forward, and what the bucket says is older than the retention goes, page after page.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("S3 media store: retention sweep")
class S3MediaRetentionTest {

  private static final String BUCKET = "media";
  private static final String PREFIX = "gw/media/";

  @TempDir
  Path blobs;
  @TempDir
  Path spool;
  private S3ProxyServer server;
  private S3MediaStore store;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = S3ProxyServer.onDisk(blobs);
    server.createBucket(BUCKET);
    MediaStorageConfig config = MediaStorageConfig.local(spool).withS3(server.settings(BUCKET, PREFIX));
    // two keys a page, so a sweep over six objects lists three pages and deletes across them
    store = new S3MediaStore(vertx, config, java.time.Clock.systemUTC(), 2);
    join(store.open());
  }

  @AfterEach
  void stop() throws Exception {
    join(store.close());
    server.close();
  }

  @Test
  @DisplayName("with 7 days' retention: nothing goes while every object is younger; 5 days on, the objects uploaded "
      + "3 days before go and the new ones stay; 3 days more, those go too; keys that are not our ids never go")
  void deletesWhatTheBucketSaysIsOld(Vertx vertx) throws Exception {
    Instant now = Instant.now();
    List<String> old = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = join(store.put(Buffer.buffer("old " + i), "image/png")).id();
      S3ProxyServer.backdate(blobs, BUCKET, PREFIX + id, now.minus(Duration.ofDays(3)));
      old.add(id);
    }
    List<String> young = List.of(join(store.put(Buffer.buffer("new 0"), "video/mp4")).id(),
        join(store.put(Buffer.buffer("new 1"), "image/png")).id());
    String foreign = PREFIX + "notes.txt";
    try (S3Client raw = server.rawClient()) {
      raw.putObject(b -> b.bucket(BUCKET).key(foreign), RequestBody.fromString("someone else's"));
    }
    S3ProxyServer.backdate(blobs, BUCKET, foreign, now.minus(Duration.ofDays(30)));
    Path deadPut = spool.resolve(LocalMediaStore.TMP_DIR).resolve("dead.part");
    Files.writeString(deadPut, "partial");
    Files.setLastModifiedTime(deadPut, FileTime.from(now.minus(Duration.ofDays(3))));
    assertThat(keys()).hasSize(6);

    MediaRetentionSweeperTest.MovableClock clock = new MediaRetentionSweeperTest.MovableClock(now);
    MediaRetentionSweeper sweeper = new MediaRetentionSweeper(vertx, store, 7, clock);

    assertThat(join(sweeper.sweepOnce())).isZero();
    assertThat(keys()).hasSize(6);

    clock.advance(Duration.ofDays(5));
    assertThat(join(sweeper.sweepOnce())).isEqualTo(3);
    assertThat(keys()).containsExactlyInAnyOrder(PREFIX + young.get(0), PREFIX + young.get(1), foreign);
    for (String id : old) {
      assertThat(join(store.stat(id))).isEmpty();
    }
    assertThat(join(store.stat(young.get(0)))).isPresent();
    assertThat(deadPut).doesNotExist();

    clock.advance(Duration.ofDays(3));
    assertThat(join(sweeper.sweepOnce())).isEqualTo(2);
    assertThat(keys()).containsExactly(foreign);
  }

  @Test
  @DisplayName("retention 0 (the default) never lists or deletes anything in the bucket")
  void keepForever(Vertx vertx) throws Exception {
    String id = join(store.put(Buffer.buffer("kept"), "image/png")).id();
    S3ProxyServer.backdate(blobs, BUCKET, PREFIX + id, Instant.now().minus(Duration.ofDays(3650)));
    MediaRetentionSweeper sweeper = new MediaRetentionSweeper(vertx, store, 0,
        new MediaRetentionSweeperTest.MovableClock(Instant.now()));

    assertThat(join(sweeper.sweepOnce())).isZero();
    assertThat(join(store.stat(id))).isPresent();
    assertThat(keys()).containsExactly(PREFIX + id);
  }

  private List<String> keys() {
    try (S3Client raw = server.rawClient()) {
      return raw.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
    }
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
