package gateway.testsupport.fake;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI Videos: {@code POST /v1/videos} (JSON, or {@code multipart/form-data} as the official SDKs send it, with
 * {@code prompt}, {@code model} (default {@code sora-2}), {@code seconds} (default 4; a string in OpenAI's schema,
 * a number accepted too), {@code size} (default {@code 720x1280}), optional {@code input_reference} file) answers
 * the video object {@code {id: "video_…", object: "video", model, status: "queued", progress: 0, created_at,
 * seconds, size, prompt, ...}}; {@code GET /v1/videos/{id}} polls it ({@code queued → in_progress → completed |
 * failed}, with {@code completed_at}, {@code expires_at} and on failure {@code error: {code, message}});
 * {@code GET /v1/videos/{id}/content} downloads the MP4 once completed ({@code ?variant=thumbnail}: a PNG), 404
 * before, and 404 again once expired ({@link Behavior#urlsExpireAfter}). A job that
 * {@link Behavior#deliversSeconds delivers other seconds} reports them in {@code seconds} once completed; one with
 * {@link Behavior#deliversBrokenFile a broken file} serves that body as its content.
 */
final class OpenAiVideosWire {

  static final String PROTOCOL = "openai-videos";
  private static final String DEFAULT_MODEL = "sora-2";
  private static final String DEFAULT_SIZE = "720x1280";
  private static final int DEFAULT_SECONDS = 4;
  private static final int MAX_SECONDS = 60;

  private final MediaEndpoints media;

  OpenAiVideosWire(MediaEndpoints media) {
    this.media = media;
  }

  void handle(HttpServerRequest request, MediaRequest body) {
    String rest = request.path().substring(MediaEndpoints.VIDEOS.length());
    boolean create = rest.isEmpty();
    String model = create && body.fields() != null ? body.string("model") : null;
    media.record(request, create ? body : null, PROTOCOL, model);
    String key = media.expectedApiKey();
    ErrorResponse refusal = key == null ? null : OpenAiErrors.checkBearer(request.headers(), key);
    if (refusal != null) {
      FakeUpstream.send(request.response(), refusal, null);
      return;
    }
    if (create) {
      create(request, body);
      return;
    }
    String[] segments = rest.substring(1).split("/");
    VideoJob job = media.job(segments[0]);
    if (job == null || !job.protocol.equals(PROTOCOL) || segments.length > 2
        || segments.length == 2 && !segments[1].equals("content")) {
      FakeUpstream.send(request.response(), OpenAiErrors.of(404, "Video with id '" + segments[0] + "' not found.",
          "invalid_request_error", null, null), null);
      return;
    }
    if (segments.length == 2) {
      content(request, job);
    } else {
      json(request, videoObject(job, job.poll()));
    }
  }

  private void create(HttpServerRequest request, MediaRequest body) {
    if (body.fields() == null) {
      FakeUpstream.send(request.response(), OpenAiErrors.invalidJson(), null);
      return;
    }
    String prompt = body.string("prompt");
    if (prompt == null || prompt.isBlank()) {
      FakeUpstream.send(request.response(), OpenAiErrors.missingParameter("prompt"), null);
      return;
    }
    Integer seconds = body.has("seconds") ? body.integer("seconds") : Integer.valueOf(DEFAULT_SECONDS);
    if (seconds == null || seconds < 1 || seconds > MAX_SECONDS) {
      FakeUpstream.send(request.response(), OpenAiErrors.of(400, "Invalid value for 'seconds'.",
          "invalid_request_error", "seconds", "invalid_value"), null);
      return;
    }
    String model = body.string("model") != null ? body.string("model") : DEFAULT_MODEL;
    String size = body.string("size") != null ? body.string("size") : DEFAULT_SIZE;
    Behavior behavior = media.next(model, Behavior.videoJob());
    media.perform(request, behavior, b -> OpenAiErrors.forStatus(b.errorStatus, b.errorMessage), () -> {
      VideoJob job = new VideoJob(Ids.hex("video_", 32), PROTOCOL, model, prompt, seconds, size, behavior);
      media.addJob(job);
      json(request, videoObject(job, job.peek()));
    });
  }

  private void content(HttpServerRequest request, VideoJob job) {
    media.files.countDownload(request.path());
    VideoJob.Status status = job.peek();
    if (status.phase() != VideoJob.Phase.SUCCEEDED) {
      FakeUpstream.send(request.response(), OpenAiErrors.of(404,
          "Video is not ready yet, use GET /v1/videos/" + job.id + " to check status.",
          "invalid_request_error", null, null), null);
      return;
    }
    if (System.currentTimeMillis() >= job.completedAtMillis() + job.behavior.urlTtl.toMillis()) {
      FakeUpstream.send(request.response(), OpenAiErrors.of(404, "Video content for '" + job.id + "' has expired.",
          "invalid_request_error", null, null), null);
      return;
    }
    boolean thumbnail = "thumbnail".equals(request.getParam("variant"));
    byte[] bytes = thumbnail ? FakeMediaFiles.png(64, 36, 0) : job.fileBytes();
    request.response().putHeader(HttpHeaders.CONTENT_TYPE, thumbnail ? "image/png" : job.fileContentType())
        .end(Buffer.buffer(bytes));
  }

  static JsonObject videoObject(VideoJob job, VideoJob.Status status) {
    JsonObject video = new JsonObject()
        .put("id", job.id)
        .put("object", "video")
        .put("model", job.model)
        .put("status", switch (status.phase()) {
          case QUEUED -> "queued";
          case RUNNING -> "in_progress";
          case SUCCEEDED -> "completed";
          case FAILED, CANCELED -> "failed";
        })
        .put("progress", status.progress())
        .put("created_at", job.createdAtMillis / 1000)
        .put("completed_at", status.ended() ? status.completedAtSeconds() : null)
        .put("expires_at", status.phase() == VideoJob.Phase.SUCCEEDED
            ? status.completedAtSeconds() + job.behavior.urlTtl.toSeconds() : null)
        .put("prompt", job.prompt)
        .put("remixed_from_video_id", null)
        .put("seconds", Integer.toString(status.phase() == VideoJob.Phase.SUCCEEDED
            ? job.deliveredSeconds() : job.requestedSeconds))
        .put("size", job.size)
        .put("error", null);
    if (status.phase() == VideoJob.Phase.FAILED) {
      video.put("error", new JsonObject().put("code", job.behavior.jobErrorCode).put("message",
          job.behavior.jobErrorMessage));
    } else if (status.phase() == VideoJob.Phase.CANCELED) {
      video.put("error", new JsonObject().put("code", "canceled").put("message", "The video job was canceled."));
    }
    return video;
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
