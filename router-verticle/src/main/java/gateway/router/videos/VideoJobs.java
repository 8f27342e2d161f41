package gateway.router.videos;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code videos.jobs} table: jobs written at submit, read by their account, claimed by pollers under a lease.
 * Every change a poller makes names its lease ({@code lease_owner}), so a router whose lease lapsed and was taken
 * over changes nothing any more.
 */
final class VideoJobs {
  /** The schema the router owns; its migrations are {@code classpath:db/videos}. */
  static final String SCHEMA = "videos";

  /** A job as submitted, before its row exists. */
  record NewJob(String id, long accountId, long keyId, String model, String channel, String upstreamModel,
                String upstreamJobId, String status, int progress, String prompt, int seconds, String size,
                String resolution, String ratio, long holdMicros) {
  }

  /** A page of an account's jobs, newest first. */
  record Page(List<VideoJobRow> jobs, boolean hasMore) {
  }

  private final Pool pool;
  private final VideoJobsConfig config;

  VideoJobs(Pool pool, VideoJobsConfig config) {
    this.pool = pool;
    this.config = config;
  }

  Future<VideoJobRow> insert(NewJob job) {
    Tuple values = Tuple.tuple().addString(job.id()).addLong(job.accountId()).addLong(job.keyId())
        .addString(job.model()).addString(job.channel()).addString(job.upstreamModel())
        .addString(job.upstreamJobId()).addString(job.status()).addInteger(job.progress()).addString(job.prompt())
        .addInteger(job.seconds()).addString(job.size()).addString(job.resolution()).addString(job.ratio())
        .addLong(job.holdMicros()).addLong(config.pollIntervalMs()).addLong(config.jobTimeoutSeconds());
    return pool.preparedQuery(VideoJobsSql.INSERT).execute(values).map(rows -> VideoJobRow.of(first(rows)));
  }

  Future<Optional<VideoJobRow>> own(String id, long accountId) {
    return pool.preparedQuery(VideoJobsSql.SELECT_OWN).execute(Tuple.of(id, accountId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(VideoJobRow.of(first(rows))));
  }

  Future<Optional<VideoJobRow>> get(String id) {
    return pool.preparedQuery(VideoJobsSql.SELECT).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(VideoJobRow.of(first(rows))));
  }

  /** The account's jobs after the one named {@code after} (null: from the newest), {@code limit} of them. */
  Future<Page> page(long accountId, int limit, String after) {
    Future<RowSet<Row>> rows = after == null
        ? pool.preparedQuery(VideoJobsSql.SELECT_PAGE_FIRST).execute(Tuple.of(accountId, limit + 1))
        : pool.preparedQuery(VideoJobsSql.SELECT_PAGE_AFTER).execute(Tuple.of(accountId, limit + 1, after));
    return rows.map(set -> {
      List<VideoJobRow> jobs = new ArrayList<>();
      set.forEach(row -> jobs.add(VideoJobRow.of(row)));
      boolean more = jobs.size() > limit;
      return new Page(more ? jobs.subList(0, limit) : jobs, more);
    });
  }

  /** As {@link #page}, for the dashboard: {@code keyIds} null for every key of the account. */
  Future<Page> accountPage(long accountId, Long[] keyIds, int limit, String after) {
    return pool.preparedQuery(VideoJobsSql.SELECT_ACCOUNT_PAGE)
        .execute(Tuple.of(accountId, keyIds, after, limit + 1))
        .map(set -> {
          List<VideoJobRow> jobs = new ArrayList<>();
          set.forEach(row -> jobs.add(VideoJobRow.of(row)));
          boolean more = jobs.size() > limit;
          return new Page(more ? jobs.subList(0, limit) : jobs, more);
        });
  }

  Future<List<VideoJobRow>> claimDue(String owner) {
    return pool.preparedQuery(VideoJobsSql.CLAIM_DUE)
        .execute(Tuple.of(owner, config.leaseSeconds(), config.batch()))
        .map(set -> {
          List<VideoJobRow> jobs = new ArrayList<>();
          set.forEach(row -> jobs.add(VideoJobRow.of(row)));
          return jobs;
        });
  }

  /** Still running: records the poll and lets the lease go until the next one is due. */
  Future<Boolean> recordPoll(VideoJobRow job, String owner, String status, int progress, boolean failed) {
    int polls = job.polls() + 1;
    return changed(VideoJobsSql.RECORD_POLL, Tuple.of(job.id(), owner, status, progress, config.backoffMs(polls),
        failed ? 1 : 0));
  }

  Future<Boolean> recordMedia(String id, String owner, String mediaId, long bytes, int deliveredSeconds) {
    return changed(VideoJobsSql.RECORD_MEDIA, Tuple.of(id, owner, mediaId, bytes, deliveredSeconds));
  }

  Future<Boolean> complete(String id, String owner, long costMicros) {
    return changed(VideoJobsSql.COMPLETE, Tuple.of(id, owner, costMicros));
  }

  Future<Boolean> fail(String id, String owner, String code, String message) {
    return changed(VideoJobsSql.FAIL, Tuple.of(id, owner, code, message));
  }

  Future<Void> releaseLeases(String owner) {
    return pool.preparedQuery(VideoJobsSql.RELEASE_LEASES).execute(Tuple.of(owner)).mapEmpty();
  }

  private Future<Boolean> changed(String statement, Tuple values) {
    return pool.preparedQuery(statement).execute(values).map(rows -> rows.rowCount() == 1);
  }

  private static Row first(RowSet<Row> rows) {
    return rows.iterator().next();
  }
}
