package gateway.router.videos;

import gateway.common.bus.CatalogBus;
import gateway.common.bus.ResolvedModel;
import gateway.common.bus.Route;
import gateway.media.storage.MediaStore;
import gateway.router.media.UnreadableAnswerException;
import gateway.router.media.VideoJobState;
import gateway.router.media.VideoJobStatus;
import gateway.router.provider.UpstreamError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives open video jobs to their end. Every tick it claims the jobs that are due under a lease (one router per job
 * at a time, cluster-wide), polls each upstream, and: still running → records the progress and the next poll
 * (backing off); failed or canceled → releases the hold, then marks it failed; succeeded → copies the file to our
 * storage, charges the seconds delivered (never more than held), then marks it completed. A "succeeded" whose file
 * is no MP4 (empty, an HTML error page under 200) delivered nothing: released and failed ({@code
 * invalid_video_file}), at once, as the upstream's own final word on the job. Each step is recorded
 * before the next, so a router that dies anywhere leaves a job another one finishes — with no second download once
 * the copy is recorded, and no second charge ever (the charge is idempotent on the job id). A job still unfinished
 * at its deadline is failed and released. Confined to its verticle's event loop.
 */
final class VideoPoller {
  private static final Logger LOG = LoggerFactory.getLogger(VideoPoller.class);
  /** The error code of a job whose upstream succeeded with a file that is no MP4 (empty, an HTML page). */
  static final String INVALID_FILE = "invalid_video_file";

  private final Vertx vertx;
  private final VideoJobsConfig config;
  private final VideoJobs jobs;
  private final MediaHttp http;
  private final MediaStore store;
  private final JobLedger ledger;
  private final String owner = "router-" + UUID.randomUUID();
  private long timer = -1;
  private boolean busy;

  VideoPoller(Vertx vertx, VideoJobsConfig config, VideoJobs jobs, MediaHttp http, MediaStore store,
              JobLedger ledger) {
    this.vertx = vertx;
    this.config = config;
    this.jobs = jobs;
    this.http = http;
    this.store = store;
    this.ledger = ledger;
  }

  void start() {
    timer = vertx.setPeriodic(config.tickMs(), id -> tick());
  }

  /**
   * Stops claiming and lets this router's leases go. A step still in flight may finish after that; whatever it
   * writes is fenced by its lease (now gone), and a charge it sends is idempotent.
   */
  Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return jobs.releaseLeases(owner).recover(e -> {
      LOG.warn("video poller {} could not let its leases go (they lapse on their own): {}", owner, e.getMessage());
      return Future.succeededFuture();
    });
  }

  private void tick() {
    if (busy) {
      return;
    }
    busy = true;
    jobs.claimDue(owner)
        .compose(claimed -> Future.join(claimed.stream().map(this::advance).toList()))
        .onComplete(done -> {
          busy = false;
          if (done.failed()) {
            LOG.warn("video poller {} could not claim or advance jobs: {}", owner, done.cause().getMessage());
          }
        });
  }

  /** One step of one claimed job; never fails (a failure leaves the job to the next poll). */
  Future<Void> advance(VideoJobRow job) {
    Future<Void> step = job.mediaId() != null
        // copied before a router stopped short of the charge: charge it now (once, whoever tried before)
        ? charge(job, job.deliveredSeconds() == null ? job.seconds() : job.deliveredSeconds())
        : poll(job);
    return step.recover(e -> {
      LOG.warn("video job {} could not advance on {}: {}", job.id(), owner, e.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<Void> poll(VideoJobRow job) {
    return route(job).compose(route -> {
      VideoProvider provider = VideoProvider.forRoute(route);
      return http.send(provider.poll(route, job.upstreamJobId())).compose(answer -> {
        if (!answer.ok()) {
          return stillOpen(job, null, provider.error(answer.status(), answer.body()));
        }
        VideoJobState state;
        try {
          state = provider.read(answer.body(), route);
        } catch (UnreadableAnswerException e) {
          return stillOpen(job, null, e.error());
        }
        return switch (state.status()) {
          case SUCCEEDED -> copy(job, route, provider, state);
          case FAILED, CANCELED -> fail(job, state.error() == null ? "video_generation_failed" : code(state.error()),
              state.error() == null ? "the upstream job failed" : state.error().clientMessage());
          default -> stillOpen(job, state, null);
        };
      }, transport -> stillOpen(job, null, UpstreamError.transport(transport.getMessage())));
    }, unresolved -> stillOpen(job, null, UpstreamError.transport("the catalog could not route model '"
        + job.model() + "' to channel '" + job.channel() + "': " + unresolved.getMessage())));
  }

  private Future<Void> copy(VideoJobRow job, Route route, VideoProvider provider, VideoJobState state) {
    int billable = state.billableSeconds(job.seconds());
    return http.download(provider.download(route, state), store)
        .compose(stored -> jobs.recordMedia(job.id(), owner, stored.id(), stored.size(), billable).compose(mine -> {
          if (!mine) {
            // Our lease lapsed and another router took the job: its copy counts, ours goes.
            return store.delete(stored.id()).mapEmpty();
          }
          return charge(job, billable);
        }), failed -> {
          if (failed instanceof MediaHttp.NotAVideo broken) {
            // The upstream calls the job done, but its file is no video: nothing was delivered, nothing is charged.
            return fail(job, INVALID_FILE, broken.getMessage(), billable);
          }
          UpstreamError error = failed instanceof MediaHttp.DownloadFailed d
              ? provider.error(d.status, d.body) : UpstreamError.transport(failed.getMessage());
          return stillOpen(job, null, error);
        });
  }

  private Future<Void> charge(VideoJobRow job, int billable) {
    long cost = costMicros(job, billable);
    return upstreamCost(job, Math.max(billable, 0)).compose(upstream -> ledger.charge(job, cost, upstream))
        .compose(v -> jobs.complete(job.id(), owner, cost)).map(done -> {
      if (done) {
        LOG.info("video job {} completed: {} s delivered, {} µcr charged", job.id(), billable, cost);
      }
      return null;
    });
  }

  /** What the job costs for {@code billable} seconds: its hold was the price of its seconds, so pro rata, exactly. */
  static long costMicros(VideoJobRow job, int billable) {
    long perSecond = job.holdMicros() / job.seconds();
    return perSecond * Math.min(Math.max(billable, 0), job.seconds());
  }

  private Future<Void> fail(VideoJobRow job, String code, String message) {
    // A failed job delivered nothing, which providers do not bill: 0 at a known cost price.
    return fail(job, code, message, 0);
  }

  /** {@code upstreamSeconds}: what the provider bills the operator for it (its reported length when it succeeded). */
  private Future<Void> fail(VideoJobRow job, String code, String message, int upstreamSeconds) {
    return upstreamCost(job, Math.max(upstreamSeconds, 0))
        .compose(upstream -> ledger.release(job, code + ": " + message, upstream))
        .compose(v -> jobs.fail(job.id(), owner, code, message))
        .map(done -> {
          if (done) {
            LOG.info("video job {} failed ({}), its hold released", job.id(), code);
          }
          return null;
        });
  }

  /** The job goes on: its next poll is due after a back-off, unless its deadline passed, which ends it free. */
  private Future<Void> stillOpen(VideoJobRow job, VideoJobState state, UpstreamError error) {
    if (OffsetDateTime.now().isAfter(job.deadlineAt())) {
      return fail(job, "timeout", "the upstream did not finish the video within "
          + config.jobTimeoutSeconds() + " seconds");
    }
    if (error != null) {
      LOG.debug("video job {}: poll failed: {}", job.id(), error.message());
    }
    String status = job.status();
    int progress = job.progress();
    if (state != null) {
      if (state.status() == VideoJobStatus.RUNNING) {
        status = VideoJobRow.IN_PROGRESS;
      }
      if (state.progress() != null) {
        progress = Math.max(0, Math.min(99, state.progress()));
      }
    }
    return jobs.recordPoll(job, owner, status, progress, error != null).mapEmpty();
  }

  /**
   * What {@code seconds} of the job cost upstream at its route's cost price as the catalog names it now; null when
   * the route names none for the job's resolution, or cannot be resolved any more (unknown).
   */
  private Future<Long> upstreamCost(VideoJobRow job, long seconds) {
    // bounded: an unreachable catalog leaves the cost unknown rather than holding up the charge
    return route(job).map(route -> route.cost() == null ? null : route.cost().videoMicros(job.resolution(), seconds))
        .timeout(5, java.util.concurrent.TimeUnit.SECONDS).otherwise((Long) null);
  }

  private Future<Route> route(VideoJobRow job) {
    JsonObject ask = new JsonObject().put("model", job.model()).put("channel", job.channel());
    return vertx.eventBus().<JsonObject>request(CatalogBus.RESOLVE, ask).map(reply -> {
      List<Route> routes = ResolvedModel.fromJson(reply.body()).routes();
      return routes.stream().filter(r -> r.channel().name().equals(job.channel())).findFirst()
          .orElseThrow(() -> new IllegalStateException("no route on channel " + job.channel()));
    });
  }

  private static String code(UpstreamError error) {
    return error.code() != null ? error.code() : error.type() != null ? error.type() : "video_generation_failed";
  }
}
