package gateway.media.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
@DisplayName("Media retention sweeper")
class MediaRetentionSweeperTest {

  @TempDir
  Path dir;

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  @DisplayName("with 7 days' retention an object 8 days old goes, one 6 days old stays, and a dead put's old temp"
      + " file goes too")
  void deletesOldObjects(Vertx vertx, VertxTestContext ctx) throws Exception {
    MovableClock clock = new MovableClock(Instant.parse("2030-01-01T00:00:00Z"));
    LocalMediaStore store = new LocalMediaStore(vertx, MediaStorageConfig.local(dir), clock);
    MediaRetentionSweeper sweeper = new MediaRetentionSweeper(vertx, store, 7, clock);
    Path staleTemp = dir.resolve(LocalMediaStore.TMP_DIR).resolve("dead.part");
    store.open()
        .compose(s -> store.put(Buffer.buffer("old"), "image/png"))
        .compose(old -> {
          clock.advance(Duration.ofDays(2));
          return store.put(Buffer.buffer("new"), "image/png").map(young -> new StoredObject[] {old, young});
        })
        .compose(objects -> {
          try {
            Files.writeString(staleTemp, "partial");
            Files.setLastModifiedTime(staleTemp, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
          } catch (java.io.IOException e) {
            return Future.failedFuture(e);
          }
          clock.advance(Duration.ofDays(6));
          return sweeper.sweepOnce().compose(deleted -> Future.all(store.stat(objects[0].id()), store.stat(objects[1].id()))
              .map(stats -> new Object[] {deleted, stats}));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat((Integer) r[0]).isEqualTo(1);
          var stats = (io.vertx.core.CompositeFuture) r[1];
          assertThat(stats.<java.util.Optional<?>>resultAt(0)).isEmpty();
          assertThat(stats.<java.util.Optional<?>>resultAt(1)).isPresent();
          assertThat(staleTemp).doesNotExist();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("retention 0 (the default) never deletes anything")
  void keepForever(Vertx vertx, VertxTestContext ctx) {
    MovableClock clock = new MovableClock(Instant.parse("2030-01-01T00:00:00Z"));
    LocalMediaStore store = new LocalMediaStore(vertx, MediaStorageConfig.local(dir), clock);
    MediaRetentionSweeper sweeper = new MediaRetentionSweeper(vertx, store, 0, clock).start(Duration.ofMillis(10));
    store.open().compose(s -> store.put(Buffer.buffer("kept"), "image/png"))
        .compose(o -> {
          clock.advance(Duration.ofDays(3650));
          return store.stat(o.id());
        })
        .onComplete(ctx.succeeding(stat -> ctx.verify(() -> {
          sweeper.stop();
          assertThat(stat).isPresent();
          ctx.completeNow();
        })));
  }
}
