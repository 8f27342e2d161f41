package gateway.router.videos;

/** Every statement on {@code videos.jobs} (V1 of {@code db/videos}). */
final class VideoJobsSql {
  private static final String COLUMNS = "id, account_id, key_id, model, channel, upstream_model, upstream_job_id, "
      + "status, progress, prompt, seconds, delivered_seconds, size, resolution, ratio, hold_micros, cost_micros, "
      + "polls, failed_polls, deadline_at, media_id, error_code, error_message, created_at, completed_at";

  /**
   * $1 id, $2 account, $3 key, $4 model, $5 channel, $6 upstream model, $7 upstream job id, $8 status, $9 progress,
   * $10 prompt, $11 seconds, $12 size, $13 resolution, $14 ratio, $15 hold, $16 first poll in ms, $17 timeout in s.
   */
  static final String INSERT = """
      INSERT INTO videos.jobs (id, account_id, key_id, model, channel, upstream_model, upstream_job_id, status,
          progress, prompt, seconds, size, resolution, ratio, hold_micros, next_poll_at, deadline_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
          now() + $16 * interval '1 millisecond', now() + $17 * interval '1 second')
      RETURNING\s""" + COLUMNS;

  /** $1 id, $2 account: a job only its account sees. */
  static final String SELECT_OWN = "SELECT " + COLUMNS + " FROM videos.jobs WHERE id = $1 AND account_id = $2";

  /** $1 account, $2 limit + 1: the newest page. */
  static final String SELECT_PAGE_FIRST = "SELECT " + COLUMNS + " FROM videos.jobs WHERE account_id = $1 "
      + "ORDER BY created_at DESC, id DESC LIMIT $2";

  /** $1 account, $2 limit + 1, $3 the id of the last job seen: the page after it (keyset). */
  static final String SELECT_PAGE_AFTER = "SELECT " + COLUMNS + " FROM videos.jobs WHERE account_id = $1 "
      + "AND (created_at, id) < (SELECT c.created_at, c.id FROM videos.jobs c WHERE c.id = $3 AND c.account_id = $1) "
      + "ORDER BY created_at DESC, id DESC LIMIT $2";

  /**
   * $1 account, $2 only these keys (or null: all), $3 the id of the last job seen (or null: from the newest),
   * $4 limit + 1: the dashboard's page of an account's jobs (keyset on {@code jobs_by_account}).
   */
  static final String SELECT_ACCOUNT_PAGE = "SELECT " + COLUMNS + " FROM videos.jobs WHERE account_id = $1 "
      + "AND ($2::bigint[] IS NULL OR key_id = ANY($2)) AND ($3::text IS NULL OR (created_at, id) < "
      + "(SELECT c.created_at, c.id FROM videos.jobs c WHERE c.id = $3 AND c.account_id = $1)) "
      + "ORDER BY created_at DESC, id DESC LIMIT $4";

  /**
   * $1 owner, $2 lease seconds, $3 batch: claims due open jobs nobody holds (or whose holder's lease lapsed).
   * {@code SKIP LOCKED} lets routers claiming at the same time take different rows; the committed lease keeps the
   * job theirs while they poll it.
   */
  static final String CLAIM_DUE = """
      UPDATE videos.jobs j SET lease_owner = $1, lease_expires_at = now() + $2 * interval '1 second'
      WHERE j.id IN (
        SELECT d.id FROM videos.jobs d
        WHERE d.status IN ('queued', 'in_progress') AND d.next_poll_at <= now()
          AND (d.lease_expires_at IS NULL OR d.lease_expires_at < now())
        ORDER BY d.next_poll_at
        LIMIT $3
        FOR UPDATE SKIP LOCKED)
      RETURNING\s""" + COLUMNS;

  /** $1 id, $2 owner, $3 status, $4 progress, $5 next poll in ms, $6 failed-poll increment: still running; lease let go. */
  static final String RECORD_POLL = """
      UPDATE videos.jobs SET status = $3, progress = GREATEST(progress, $4), polls = polls + 1,
          failed_polls = failed_polls + $6, next_poll_at = now() + $5 * interval '1 millisecond',
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
      WHERE id = $1 AND lease_owner = $2 AND status IN ('queued', 'in_progress')""";

  /** $1 id, $2 owner, $3 media id, $4 bytes, $5 delivered seconds: the copy is ours; the charge comes next. */
  static final String RECORD_MEDIA = """
      UPDATE videos.jobs SET media_id = $3, media_bytes = $4, delivered_seconds = $5, updated_at = now()
      WHERE id = $1 AND lease_owner = $2 AND status IN ('queued', 'in_progress')""";

  /** $1 id, $2 owner, $3 cost: charged and stored, the job is done. */
  static final String COMPLETE = """
      UPDATE videos.jobs SET status = 'completed', progress = 100, cost_micros = $3, lease_owner = NULL,
          lease_expires_at = NULL, completed_at = now(), updated_at = now()
      WHERE id = $1 AND lease_owner = $2 AND status IN ('queued', 'in_progress') AND media_id IS NOT NULL""";

  /** $1 id, $2 owner, $3 error code, $4 message: released, the job failed and cost nothing. */
  static final String FAIL = """
      UPDATE videos.jobs SET status = 'failed', cost_micros = 0, error_code = $3, error_message = $4,
          lease_owner = NULL, lease_expires_at = NULL, completed_at = now(), updated_at = now()
      WHERE id = $1 AND lease_owner = $2 AND status IN ('queued', 'in_progress')""";

  /** $1 owner: a stopping router lets its jobs go, so another takes them over at once rather than after the lease. */
  static final String RELEASE_LEASES = """
      UPDATE videos.jobs SET lease_owner = NULL, lease_expires_at = NULL
      WHERE lease_owner = $1 AND status IN ('queued', 'in_progress')""";

  /** $1 id: the job's row as it is now, whoever holds it. */
  static final String SELECT = "SELECT " + COLUMNS + " FROM videos.jobs WHERE id = $1";

  private VideoJobsSql() {
  }
}
