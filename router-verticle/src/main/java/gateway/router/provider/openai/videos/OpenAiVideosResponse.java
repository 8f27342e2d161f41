package gateway.router.provider.openai.videos;

import gateway.common.bus.Route;
import gateway.router.media.UnreadableAnswerException;
import gateway.router.media.VideoJobState;
import gateway.router.media.VideoJobStatus;
import gateway.router.provider.Json;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.openai.OpenAiErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Reads OpenAI's video object ({@code {id, object: "video", status, progress, seconds, size, error, ...}}), the
 * answer to both create and retrieve. {@code queued → QUEUED}, {@code in_progress → RUNNING}, {@code completed →
 * SUCCEEDED} (its {@code videoUrl} the content endpoint, its {@code seconds} the reported duration),
 * {@code failed → FAILED} with {@code error: {code, message}} as a non-retryable {@link UpstreamError} that is no
 * fault of the channel. An unknown status is {@code UNKNOWN}, never success.
 */
public final class OpenAiVideosResponse {

  private static final Map<String, VideoJobStatus> STATUSES = Map.of(
      "queued", VideoJobStatus.QUEUED,
      "in_progress", VideoJobStatus.RUNNING,
      "completed", VideoJobStatus.SUCCEEDED,
      "failed", VideoJobStatus.FAILED);

  private OpenAiVideosResponse() {
  }

  public static VideoJobState parse(Buffer body, Route route) {
    JsonObject video = Json.objectOrNull(body);
    if (video == null || !(video.getValue("id") instanceof String id) || id.isEmpty()) {
      throw new UnreadableAnswerException(UpstreamError.transport(
          "the upstream's video answer has no id: " + Json.quote(body)));
    }
    VideoJobStatus status = video.getValue("status") instanceof String s
        ? STATUSES.getOrDefault(s, VideoJobStatus.UNKNOWN) : VideoJobStatus.UNKNOWN;
    Integer progress = video.getValue("progress") instanceof Number p ? p.intValue() : null;
    Integer seconds = status == VideoJobStatus.SUCCEEDED ? seconds(video.getValue("seconds")) : null;
    String url = status == VideoJobStatus.SUCCEEDED ? OpenAiVideosRequest.contentUrl(route, id) : null;
    UpstreamError error = null;
    if (status == VideoJobStatus.FAILED) {
      JsonObject failure = video.getValue("error") instanceof JsonObject e ? e : new JsonObject();
      error = new UpstreamError(0, "video_generation_failed",
          failure.getValue("code") == null ? null : String.valueOf(failure.getValue("code")),
          failure.getString("message", "the upstream video job failed"), false, false, null);
    }
    return new VideoJobState(id, status, progress, seconds, url, error);
  }

  /** A non-2xx answer to create, retrieve or content, in OpenAI's error shape. */
  public static UpstreamError error(int status, Buffer body) {
    return OpenAiErrors.read(status, body);
  }

  /** {@code "8"} as OpenAI sends it, or a number as some compatible hosts do; null when unreadable. */
  static Integer seconds(Object value) {
    if (value instanceof Number n) {
      return (int) Math.ceil(n.doubleValue());
    }
    if (value instanceof String s) {
      try {
        return (int) Math.ceil(Double.parseDouble(s.strip()));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
