package gateway.testsupport.fake;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Alibaba DashScope's asynchronous video synthesis (Wan models). {@code POST
 * /api/v1/services/aigc/video-generation/video-synthesis} with {@code Authorization: Bearer}, {@code
 * X-DashScope-Async: enable} and {@code {model, input: {prompt, img_url?}, parameters: {resolution: "720P",
 * duration: 5, size?, ratio?, ...}}} answers {@code {output: {task_id, task_status: "PENDING"}, request_id}}.
 * {@code GET /api/v1/tasks/{task_id}} answers {@code {request_id, output: {task_id, task_status, submit_time,
 * scheduled_time?, end_time?, video_url?, orig_prompt?, code?, message?}, usage?: {video_duration, video_ratio,
 * video_count}}} with {@code task_status} PENDING, RUNNING, SUCCEEDED, FAILED, CANCELED, or UNKNOWN for a task it
 * does not know (still HTTP 200, as DashScope answers). Errors are {@code {code, message, request_id}}; a call
 * without the async header gets DashScope's 403 {@code AccessDenied}. {@code video_url} is a signed link on the
 * fake that expires ({@link Behavior#urlsExpireAfter}; DashScope keeps results 24 hours).
 */
final class DashScopeWire {

  static final String PROTOCOL = "dashscope";
  private static final int DEFAULT_DURATION = 5;
  private static final String DEFAULT_RESOLUTION = "1080P";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
      .withZone(ZoneId.of("Asia/Shanghai"));

  private final MediaEndpoints media;

  DashScopeWire(MediaEndpoints media) {
    this.media = media;
  }

  void handle(HttpServerRequest request, MediaRequest body) {
    boolean create = request.path().equals(MediaEndpoints.DASHSCOPE_SYNTHESIS);
    String model = create && body.fields() != null ? body.string("model") : null;
    media.record(request, create ? body : null, PROTOCOL, model);
    ErrorResponse refusal = checkKey(request);
    if (refusal != null) {
      FakeUpstream.send(request.response(), refusal, null);
      return;
    }
    if (create) {
      create(request, body);
    } else {
      task(request, request.path().substring(MediaEndpoints.DASHSCOPE_TASKS.length()));
    }
  }

  private ErrorResponse checkKey(HttpServerRequest request) {
    String key = media.expectedApiKey();
    if (key == null) {
      return null;
    }
    String authorization = request.getHeader("Authorization");
    String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).strip() : null;
    return key.equals(presented) ? null : error(401, "InvalidApiKey", "Invalid API-key provided.");
  }

  private void create(HttpServerRequest request, MediaRequest body) {
    if (!"enable".equals(request.getHeader("X-DashScope-Async"))) {
      FakeUpstream.send(request.response(),
          error(403, "AccessDenied", "current user api does not support synchronous calls"), null);
      return;
    }
    if (body.fields() == null) {
      FakeUpstream.send(request.response(), error(400, "InvalidParameter", "Request body is not valid JSON."), null);
      return;
    }
    String model = body.string("model");
    JsonObject input = JsonFields.object(body.fields(), "input");
    JsonObject parameters = JsonFields.object(body.fields(), "parameters");
    String prompt = JsonFields.string(input, "prompt");
    ErrorResponse invalid = model == null ? error(400, "InvalidParameter", "Model not exist.")
        : input == null ? error(400, "InvalidParameter", "Field required: input")
        : prompt == null && JsonFields.string(input, "img_url") == null
            ? error(400, "InvalidParameter", "Field required: input.prompt") : null;
    Object duration = parameters == null ? null : parameters.getValue("duration");
    if (invalid == null && duration != null && !(duration instanceof Number n && n.intValue() > 0)) {
      invalid = error(400, "InvalidParameter", "The parameter 'parameters.duration' is invalid.");
    }
    if (invalid != null) {
      FakeUpstream.send(request.response(), invalid, null);
      return;
    }
    int seconds = duration == null ? DEFAULT_DURATION : ((Number) duration).intValue();
    String resolution = parameters != null && parameters.getValue("resolution") instanceof String r ? r
        : parameters != null && parameters.getValue("size") instanceof String s ? s : DEFAULT_RESOLUTION;
    Behavior behavior = media.next(model, Behavior.videoJob());
    media.perform(request, behavior, b -> forStatus(b.errorStatus, b.errorMessage), () -> {
      VideoJob job = new VideoJob(UUID.randomUUID().toString(), PROTOCOL, model, prompt, seconds, resolution,
          behavior);
      media.addJob(job);
      json(request, new JsonObject()
          .put("output", new JsonObject().put("task_status", "PENDING").put("task_id", job.id))
          .put("request_id", UUID.randomUUID().toString()));
    });
  }

  private void task(HttpServerRequest request, String taskId) {
    VideoJob job = media.job(taskId);
    JsonObject output = new JsonObject().put("task_id", taskId);
    JsonObject answer = new JsonObject().put("request_id", UUID.randomUUID().toString()).put("output", output);
    if (job == null || !job.protocol.equals(PROTOCOL)) {
      output.put("task_status", "UNKNOWN");
      json(request, answer);
      return;
    }
    VideoJob.Status status = job.poll();
    output.put("task_status", switch (status.phase()) {
      case QUEUED -> "PENDING";
      case RUNNING -> "RUNNING";
      case SUCCEEDED -> "SUCCEEDED";
      case FAILED -> "FAILED";
      case CANCELED -> "CANCELED";
    });
    output.put("submit_time", TIME.format(Instant.ofEpochMilli(job.createdAtMillis)));
    if (status.phase() != VideoJob.Phase.QUEUED) {
      output.put("scheduled_time", TIME.format(Instant.ofEpochMilli(job.createdAtMillis + 20)));
    }
    if (status.ended()) {
      output.put("end_time", TIME.format(Instant.ofEpochMilli(job.completedAtMillis())));
    }
    switch (status.phase()) {
      case SUCCEEDED -> {
        output.put("video_url", fileUrl(job)).put("orig_prompt", job.prompt);
        answer.put("usage", new JsonObject().put("video_duration", job.deliveredSeconds())
            .put("video_ratio", ratio(job.size)).put("video_count", 1));
      }
      case FAILED -> output.put("code", job.behavior.jobErrorCode).put("message", job.behavior.jobErrorMessage);
      default -> { }
    }
    json(request, answer);
  }

  private synchronized String fileUrl(VideoJob job) {
    if (job.fileUrl() == null) {
      job.fileUrl(media.files.host(media.origin(), job.fileBytes(), job.fileContentType(), "mp4",
          job.behavior.urlTtl));
    }
    return job.fileUrl();
  }

  /** The frame size DashScope reports for a resolution tier (16:9), or the {@code size} as it was given. */
  private static String ratio(String resolution) {
    return switch (resolution) {
      case "480P" -> "832*480";
      case "720P" -> "1280*720";
      case "1080P" -> "1920*1080";
      default -> resolution;
    };
  }

  static ErrorResponse forStatus(int status, String message) {
    String code = switch (status) {
      case 400 -> "InvalidParameter";
      case 401 -> "InvalidApiKey";
      case 403 -> "AccessDenied";
      case 404 -> "ModelNotFound";
      case 429 -> "Throttling.RateQuota";
      default -> status >= 500 ? "InternalError" : "InvalidParameter";
    };
    return error(status, code, message);
  }

  static ErrorResponse error(int status, String code, String message) {
    return ErrorResponse.json(status, new JsonObject().put("code", code).put("message", message)
        .put("request_id", UUID.randomUUID().toString()));
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
