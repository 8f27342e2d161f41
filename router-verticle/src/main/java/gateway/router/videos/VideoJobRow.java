package gateway.router.videos;

import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/** One row of {@code videos.jobs}: a job as the gateway keeps it. */
record VideoJobRow(String id, long accountId, long keyId, String model, String channel, String upstreamModel,
                   String upstreamJobId, String status, int progress, String prompt, int seconds,
                   Integer deliveredSeconds, String size, String resolution, String ratio, long holdMicros,
                   Long costMicros, int polls, int failedPolls, OffsetDateTime deadlineAt, String mediaId,
                   String errorCode, String errorMessage, OffsetDateTime createdAt, OffsetDateTime completedAt) {

  static final String QUEUED = "queued";
  static final String IN_PROGRESS = "in_progress";
  static final String COMPLETED = "completed";
  static final String FAILED = "failed";

  static VideoJobRow of(Row row) {
    return new VideoJobRow(row.getString("id"), row.getLong("account_id"), row.getLong("key_id"),
        row.getString("model"), row.getString("channel"), row.getString("upstream_model"),
        row.getString("upstream_job_id"), row.getString("status"), row.getInteger("progress"),
        row.getString("prompt"), row.getInteger("seconds"), row.getInteger("delivered_seconds"),
        row.getString("size"), row.getString("resolution"), row.getString("ratio"), row.getLong("hold_micros"),
        row.getLong("cost_micros"), row.getInteger("polls"), row.getInteger("failed_polls"),
        row.getOffsetDateTime("deadline_at"), row.getString("media_id"), row.getString("error_code"),
        row.getString("error_message"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("completed_at"));
  }

  boolean ended() {
    return COMPLETED.equals(status) || FAILED.equals(status);
  }
}
