package gateway.router.videos;

import gateway.common.GatewayError;
import gateway.common.bus.Principal;
import gateway.media.storage.MediaStore;
import gateway.router.edge.KeyAuthenticator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;

/**
 * The video endpoints under {@code /v1}: OpenAI's job API ({@code POST /v1/videos}, {@code GET /v1/videos},
 * {@code GET /v1/videos/{id}}, {@code GET /v1/videos/{id}/content}) and the reference's synchronous
 * {@code POST /v1/videos/generations}, which answers {@code {created, data: [{url}]}} once the job ended. A key
 * sees its own account's jobs only: any other id is a 404, as an unknown one is.
 */
public final class VideosApi {
  private static final int DEFAULT_PAGE = 20;
  private static final int MAX_PAGE = 100;
  private static final long WAIT_STEP_MS = 500;

  private final Vertx vertx;
  private final VideoSubmitter submitter;
  private final VideoJobs jobs;
  private final MediaStore store;
  private final VideoJobsConfig config;

  VideosApi(Vertx vertx, VideoSubmitter submitter, VideoJobs jobs, MediaStore store, VideoJobsConfig config) {
    this.vertx = vertx;
    this.submitter = submitter;
    this.jobs = jobs;
    this.store = store;
    this.config = config;
  }

  /** Mounts the routes on the {@code /v1} router, after its key and body handlers. */
  public void mount(Router v1) {
    v1.post("/videos/generations").handler(this::generate);
    v1.post("/videos").handler(this::create);
    v1.get("/videos").handler(this::list);
    v1.get("/videos/:id").handler(this::retrieve);
    v1.get("/videos/:id/content").handler(this::content);
  }

  private void create(RoutingContext ctx) {
    VideoSubmitter.Submission submission = VideoBodies.job(ctx);
    submitter.submit(principal(ctx), submission, ctx.response())
        .onSuccess(job -> json(ctx, 200, VideoObjects.video(job, null)))
        .onFailure(ctx::fail);
  }

  private void generate(RoutingContext ctx) {
    VideoSubmitter.Submission submission = VideoBodies.generation(ctx);
    Principal principal = principal(ctx);
    submitter.submit(principal, submission, ctx.response())
        .compose(job -> awaitEnd(ctx, job.id(), principal.accountId(),
            System.currentTimeMillis() + (config.jobTimeoutSeconds() + config.leaseSeconds()) * 1000 + 60_000))
        .onSuccess(job -> {
          if (ctx.response().closed()) {
            return;
          }
          if (VideoJobRow.COMPLETED.equals(job.status())) {
            json(ctx, 200, new JsonObject().put("created", job.createdAt().toEpochSecond())
                .put("data", new JsonArray().add(new JsonObject().put("url", url(ctx, job)).put("id", job.id())
                    .put("seconds", job.deliveredSeconds()))));
          } else if ("timeout".equals(job.errorCode())) {
            ctx.fail(GatewayError.UPSTREAM_TIMEOUT.exception("the video was not ready in time (job " + job.id()
                + "); nothing was charged"));
          } else {
            ctx.fail(GatewayError.UPSTREAM_ERROR.exception("the video job " + job.id() + " failed: "
                + job.errorMessage() + "; nothing was charged"));
          }
        })
        .onFailure(e -> {
          if (!ctx.response().closed()) {
            ctx.fail(e);
          }
        });
  }

  /** Reads the job's row until it ended (the poller of whichever router holds it ends it), or until {@code until}. */
  private Future<VideoJobRow> awaitEnd(RoutingContext ctx, String id, long accountId, long until) {
    return jobs.own(id, accountId).compose(found -> {
      VideoJobRow job = found.orElseThrow();
      if (job.ended() || ctx.response().closed() || System.currentTimeMillis() > until) {
        return Future.succeededFuture(job);
      }
      return Future.<Void>future(p -> vertx.setTimer(Math.min(WAIT_STEP_MS, config.pollIntervalMs()),
          t -> p.complete())).compose(v -> awaitEnd(ctx, id, accountId, until));
    });
  }

  private void list(RoutingContext ctx) {
    int limit = limit(ctx.queryParams().get("limit"));
    String after = ctx.queryParams().get("after");
    if (after != null && !after.matches("video_[0-9a-f]{32}")) {
      throw GatewayError.INVALID_VALUE.exception("'after' must be the id of a video", "after");
    }
    jobs.page(principal(ctx).accountId(), limit, after).onSuccess(page -> {
      List<JsonObject> videos = page.jobs().stream().map(job -> VideoObjects.video(job, url(ctx, job))).toList();
      json(ctx, 200, VideoObjects.list(videos, page.hasMore()));
    }).onFailure(ctx::fail);
  }

  private void retrieve(RoutingContext ctx) {
    own(ctx).onSuccess(job -> json(ctx, 200, VideoObjects.video(job, url(ctx, job)))).onFailure(ctx::fail);
  }

  private void content(RoutingContext ctx) {
    own(ctx).compose(job -> {
      if (!VideoJobRow.COMPLETED.equals(job.status()) || job.mediaId() == null) {
        return Future.failedFuture(GatewayError.NOT_FOUND.exception("video " + job.id() + " is " + job.status()
            + "; its content is there once it is completed"));
      }
      return store.get(job.mediaId(), null).compose(opened -> {
        if (opened.isEmpty()) {
          return Future.failedFuture(GatewayError.NOT_FOUND.exception("the file of video " + job.id()
              + " is no longer kept"));
        }
        var media = opened.get();
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, media.object().contentType())
            .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(media.object().size()))
            .putHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=86400");
        return media.body().pipeTo(ctx.response());
      });
    }).onFailure(e -> {
      if (!ctx.response().headWritten()) {
        ctx.fail(e);
      } else {
        ctx.response().reset();
      }
    });
  }

  private Future<VideoJobRow> own(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !id.matches("video_[0-9a-f]{32}")) {
      return Future.failedFuture(notFound(id));
    }
    return jobs.own(id, principal(ctx).accountId())
        .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(notFound(id))));
  }

  private static RuntimeException notFound(String id) {
    String shown = id == null ? "" : id.length() > 48 ? id.substring(0, 48) + "…" : id;
    return GatewayError.NOT_FOUND.exception("No video with id '" + shown + "'.");
  }

  /** Our URL of the job's file: absolute, on the public base when one is set, else on this gateway. */
  private String url(RoutingContext ctx, VideoJobRow job) {
    if (job.mediaId() == null || !VideoJobRow.COMPLETED.equals(job.status())) {
      return null;
    }
    String url = store.publicUrl(job.mediaId());
    if (url.startsWith("http://") || url.startsWith("https://")) {
      return url;
    }
    URI self = URI.create(ctx.request().absoluteURI());
    return self.getScheme() + "://" + self.getRawAuthority() + url;
  }

  private static int limit(String value) {
    if (value == null) {
      return DEFAULT_PAGE;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_PAGE) {
        return limit;
      }
    } catch (NumberFormatException ignored) {
      // refused below
    }
    throw GatewayError.INVALID_VALUE.exception("'limit' must be a whole number from 1 to " + MAX_PAGE, "limit");
  }

  private static Principal principal(RoutingContext ctx) {
    return KeyAuthenticator.principal(ctx);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
