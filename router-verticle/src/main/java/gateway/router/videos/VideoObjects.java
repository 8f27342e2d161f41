package gateway.router.videos;

import gateway.common.money.Credits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A job as clients read it: OpenAI's video object ({@code {id, object: "video", model, status, progress,
 * created_at, completed_at, expires_at, prompt, seconds, size, error, remixed_from_video_id}}) with the gateway's
 * additions: {@code resolution}, {@code ratio}, {@code url} (ours, once completed) and {@code cost} in credits.
 */
final class VideoObjects {
  private VideoObjects() {
  }

  static JsonObject video(VideoJobRow job, String url) {
    JsonObject video = new JsonObject()
        .put("id", job.id())
        .put("object", "video")
        .put("model", job.model())
        .put("status", job.status())
        .put("progress", job.progress())
        .put("created_at", epoch(job.createdAt()))
        .put("completed_at", job.completedAt() == null ? null : epoch(job.completedAt()))
        .put("expires_at", null)
        .put("prompt", job.prompt())
        .put("remixed_from_video_id", null)
        .put("seconds", Integer.toString(job.deliveredSeconds() != null && job.ended()
            ? job.deliveredSeconds() : job.seconds()))
        .put("size", job.size())
        .put("resolution", job.resolution())
        .put("ratio", job.ratio())
        .put("error", VideoJobRow.FAILED.equals(job.status())
            ? new JsonObject().put("code", job.errorCode()).put("message", job.errorMessage()) : null);
    if (VideoJobRow.COMPLETED.equals(job.status())) {
      video.put("url", url);
    }
    if (job.costMicros() != null) {
      video.put("cost", Credits.fromMicros(job.costMicros()));
    }
    return video;
  }

  static JsonObject list(List<JsonObject> videos, boolean hasMore) {
    return new JsonObject()
        .put("object", "list")
        .put("data", new JsonArray(List.copyOf(videos)))
        .put("first_id", videos.isEmpty() ? null : videos.get(0).getString("id"))
        .put("last_id", videos.isEmpty() ? null : videos.get(videos.size() - 1).getString("id"))
        .put("has_more", hasMore);
  }

  private static long epoch(OffsetDateTime time) {
    return time.toEpochSecond();
  }
}
