package gateway.router.provider.dashscope;

import gateway.router.media.UnreadableAnswerException;
import gateway.router.media.VideoJobState;
import gateway.router.media.VideoJobStatus;
import gateway.router.provider.Json;
import gateway.router.provider.UpstreamError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Reads DashScope's task answers, {@code {request_id, output: {task_id, task_status, video_url?, code?, message?},
 * usage?}}: the create answer (PENDING) and each poll. {@code PENDING → QUEUED}, {@code RUNNING → RUNNING},
 * {@code SUCCEEDED → SUCCEEDED} with {@code output.video_url} and the delivered seconds from
 * {@code usage.video_duration} (or {@code usage.duration} / {@code output_video_duration} of newer models),
 * {@code FAILED → FAILED} with {@code output.code}/{@code message}, {@code CANCELED}, {@code UNKNOWN} (task
 * expired or never existed). A SUCCEEDED task without a {@code video_url} delivered nothing and is read as
 * FAILED, so it cannot be charged.
 */
public final class DashScopeVideoResponse {

  private static final Map<String, VideoJobStatus> STATUSES = Map.of(
      "PENDING", VideoJobStatus.QUEUED,
      "RUNNING", VideoJobStatus.RUNNING,
      "SUSPENDED", VideoJobStatus.RUNNING,
      "SUCCEEDED", VideoJobStatus.SUCCEEDED,
      "FAILED", VideoJobStatus.FAILED,
      "CANCELED", VideoJobStatus.CANCELED,
      "UNKNOWN", VideoJobStatus.UNKNOWN);

  private DashScopeVideoResponse() {
  }

  public static VideoJobState parse(Buffer body) {
    JsonObject json = Json.objectOrNull(body);
    JsonObject output = json == null || !(json.getValue("output") instanceof JsonObject o) ? null : o;
    if (output == null || !(output.getValue("task_id") instanceof String taskId) || taskId.isEmpty()) {
      throw new UnreadableAnswerException(UpstreamError.transport(
          "the upstream's task answer has no output.task_id: " + Json.quote(body)));
    }
    VideoJobStatus status = output.getValue("task_status") instanceof String s
        ? STATUSES.getOrDefault(s, VideoJobStatus.UNKNOWN) : VideoJobStatus.UNKNOWN;
    switch (status) {
      case SUCCEEDED -> {
        if (!(output.getValue("video_url") instanceof String url) || url.isBlank()) {
          return new VideoJobState(taskId, VideoJobStatus.FAILED, null, null, null,
              jobError("NoVideoUrl", "the task succeeded without a video_url"));
        }
        return new VideoJobState(taskId, status, 100, seconds(json.getJsonObject("usage")), url, null);
      }
      case FAILED -> {
        return new VideoJobState(taskId, status, null, null, null,
            jobError(output.getString("code"), output.getString("message", "the upstream task failed")));
      }
      case CANCELED -> {
        return new VideoJobState(taskId, status, null, null, null, jobError("Canceled", "the upstream task was canceled"));
      }
      default -> {
        return new VideoJobState(taskId, status, null, null, null, null);
      }
    }
  }

  /** A non-2xx answer to create or poll: {@code {code, message, request_id}}. */
  public static UpstreamError error(int status, Buffer body) {
    return DashScopeErrors.read(status, body);
  }

  private static UpstreamError jobError(String code, String message) {
    return new UpstreamError(0, "video_generation_failed", code, message, false, false, null);
  }

  private static Integer seconds(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    for (String field : new String[] {"video_duration", "output_video_duration", "duration"}) {
      if (usage.getValue(field) instanceof Number n && n.doubleValue() > 0) {
        return (int) Math.ceil(n.doubleValue());
      }
    }
    return null;
  }
}
