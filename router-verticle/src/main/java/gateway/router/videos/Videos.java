package gateway.router.videos;

import gateway.common.PgDatabase;
import gateway.media.storage.MediaStore;
import gateway.router.edge.ModelResolver;
import gateway.router.exchange.BillingClient;
import gateway.router.routing.ChannelBreakers;
import gateway.router.routing.RouteSelector;
import gateway.router.limits.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * The video side of one router instance: its pool on the {@code videos} schema, the media store, the endpoints and
 * the poller. {@link #open} completes once the store is ready and the database answered; {@link #close} undoes it.
 */
public final class Videos {
  /** The schema the router owns for video jobs; migrations in {@code classpath:db/videos}. */
  public static final String SCHEMA = VideoJobs.SCHEMA;
  private static final long DOWNLOAD_IDLE_MS = 120_000;

  private final Pool pool;
  private final VideoJobs jobs;
  private final MediaStore store;
  private final VideosApi api;
  private final VideoPoller poller;

  private Videos(Pool pool, VideoJobs jobs, MediaStore store, VideosApi api, VideoPoller poller) {
    this.pool = pool;
    this.jobs = jobs;
    this.store = store;
    this.api = api;
    this.poller = poller;
  }

  /** {@code store}: the router instance's media store, shared with the images endpoints and closed by its owner. */
  public static Future<Videos> open(Vertx vertx, VideoJobsConfig config, MediaStore store,
                                    HttpClient upstream, ModelResolver resolver, BillingClient billing,
                                    ChannelBreakers breakers, RouteSelector selector, RateLimiter limiter) {
    Pool pool = PgDatabase.pool(vertx, config.pg(), SCHEMA);
    return pool.query("SELECT 1").execute().map(checked -> {
      VideoJobs jobs = new VideoJobs(pool, config);
      MediaHttp http = new MediaHttp(upstream, DOWNLOAD_IDLE_MS);
      VideoSubmitter submitter = new VideoSubmitter(resolver, billing, breakers, selector, limiter, http,
          jobs, config);
      VideoPoller poller = new VideoPoller(vertx, config, jobs, http, store, new JobLedger(vertx));
      poller.start();
      return new Videos(pool, jobs, store, new VideosApi(vertx, submitter, jobs, store, config), poller);
    }).onFailure(e -> pool.close());
  }

  public VideosApi api() {
    return api;
  }

  /**
   * A page of an account's jobs for its dashboard, newest first: {data: [video objects, {@code url} on this
   * gateway's media path or the public media base], has_more, last_id}. {@code keyIds} null: every key's.
   */
  public Future<JsonObject> accountPage(long accountId, Long[] keyIds, int limit, String after) {
    return jobs.accountPage(accountId, keyIds, limit, after).map(page -> VideoObjects.list(page.jobs().stream()
        .map(job -> VideoObjects.video(job, VideoJobRow.COMPLETED.equals(job.status()) && job.mediaId() != null
            ? store.publicUrl(job.mediaId()) : null))
        .toList(), page.hasMore()));
  }

  /** The media store, for the routes serving stored files. */
  public MediaStore store() {
    return store;
  }

  public Future<Void> close() {
    return poller.stop().eventually(pool::close);
  }
}
