package gateway.media.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Deletes stored objects older than the retention ({@code GATEWAY_MEDIA_RETENTION_DAYS}) once at start and then
 * every {@code interval}, in whichever store is configured (local files by their recorded creation time, an S3
 * bucket by its objects' {@code LastModified}). With retention 0 (the default) it never runs. "Now" is the
 * {@link Clock}'s, so tests move it instead of waiting.
 */
public final class MediaRetentionSweeper {

  private static final Logger log = LoggerFactory.getLogger(MediaRetentionSweeper.class);
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);

  private final Vertx vertx;
  private final MediaStore store;
  private final Duration retention;
  private final Clock clock;
  private long timer = -1;
  private Future<Integer> running = Future.succeededFuture(0);

  public MediaRetentionSweeper(Vertx vertx, MediaStore store, int retentionDays, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.retention = Duration.ofDays(retentionDays);
    this.clock = clock;
  }

  /** Sweeps now and then every {@code interval}; does nothing when the retention is 0 (keep forever). */
  public MediaRetentionSweeper start(Duration interval) {
    if (retention.isZero() || timer >= 0) {
      return this;
    }
    sweepOnce();
    timer = vertx.setPeriodic(interval.toMillis(), id -> sweepOnce());
    return this;
  }

  /** One sweep unless one is still running; completes with the number of objects deleted (0 with retention 0). */
  public synchronized Future<Integer> sweepOnce() {
    if (retention.isZero()) {
      return Future.succeededFuture(0);
    }
    if (!running.isComplete()) {
      return running;
    }
    running = store.deleteCreatedBefore(clock.instant().minus(retention))
        .onFailure(e -> log.warn("media retention sweep failed", e));
    return running;
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
