package gateway.router.provider.gemini.videos;

import gateway.router.media.UnreadableAnswerException;
import gateway.router.media.VideoJobState;
import gateway.router.media.VideoJobStatus;
import gateway.router.provider.Json;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.gemini.GeminiErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Reads Veo's long-running operation ({@code google.longrunning.Operation}): {@code {name, done?, response?,
 * error?}}. Not done: {@code QUEUED} when just created, {@code RUNNING} at a later poll (the Gemini API reports
 * neither a queue nor progress). Done with {@code error} (a {@code google.rpc.Status}, its {@code code} the gRPC
 * number): {@code FAILED}, or {@code CANCELED} for code 1, with the code's name ({@code INTERNAL}, ...) as the job's
 * error code. Done with {@code response.generateVideoResponse.generatedSamples[0].video.uri}: {@code SUCCEEDED},
 * that uri the file. Done without a sample delivered nothing and is {@code FAILED}: {@code raiMediaFiltered} (with
 * its {@code raiMediaFilteredReasons}) when the safety filter removed it, else {@code NoGeneratedSamples}; so it
 * cannot be charged.
 *
 * <p>Veo reports no length for a video: the seconds delivered are left unknown, which charges the
 * {@code durationSeconds} sent (and held), the length Veo makes and bills.
 */
public final class GeminiVideoResponse {

  private static final List<String> GRPC_CODES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED");
  private static final int CANCELLED = 1;

  private GeminiVideoResponse() {
  }

  /** The answer to {@code predictLongRunning}: an operation not done yet is queued. */
  public static VideoJobState created(Buffer body) {
    return read(body, VideoJobStatus.QUEUED);
  }

  /** The answer to a poll of the operation: one not done yet is running. */
  public static VideoJobState parse(Buffer body) {
    return read(body, VideoJobStatus.RUNNING);
  }

  /** A non-2xx answer in Google's error shape: a refused key is the channel's, {@code INVALID_ARGUMENT} the request's. */
  public static UpstreamError error(int status, Buffer body) {
    return GeminiErrors.read(status, body);
  }

  private static VideoJobState read(Buffer body, VideoJobStatus notDone) {
    JsonObject operation = Json.objectOrNull(body);
    String name = operation != null && operation.getValue("name") instanceof String n ? n : null;
    if (name == null || !GeminiVideoRequest.OPERATION_NAME.matcher(name).matches()) {
      throw new UnreadableAnswerException(UpstreamError.transport(
          "the upstream's operation has no usable name: " + Json.quote(body)));
    }
    if (operation.getValue("error") instanceof JsonObject error) {
      Integer code = error.getValue("code") instanceof Number c ? c.intValue() : null;
      String codeName = error.getValue("status") instanceof String s ? s
          : code != null && code >= 0 && code < GRPC_CODES.size() ? GRPC_CODES.get(code) : "UNKNOWN";
      VideoJobStatus status = code != null && code == CANCELLED ? VideoJobStatus.CANCELED : VideoJobStatus.FAILED;
      return new VideoJobState(name, status, null, null, null,
          jobError(codeName, error.getString("message", "the upstream operation failed")));
    }
    if (!Boolean.TRUE.equals(operation.getValue("done"))) {
      return new VideoJobState(name, notDone, null, null, null, null);
    }
    JsonObject response = operation.getValue("response") instanceof JsonObject r ? r : new JsonObject();
    JsonObject answer = response.getValue("generateVideoResponse") instanceof JsonObject a ? a : new JsonObject();
    String uri = firstUri(answer.getValue("generatedSamples"));
    if (uri != null) {
      // no seconds: Veo reports no length, so the durationSeconds sent (and held) is what is charged
      return new VideoJobState(name, VideoJobStatus.SUCCEEDED, 100, null, uri, null);
    }
    if (answer.getValue("raiMediaFilteredReasons") instanceof JsonArray reasons && !reasons.isEmpty()
        || answer.getValue("raiMediaFilteredCount") instanceof Number count && count.intValue() > 0) {
      String why = answer.getValue("raiMediaFilteredReasons") instanceof JsonArray list && !list.isEmpty()
          ? String.join(" ", list.stream().map(String::valueOf).toList())
          : "the video was removed by the upstream's safety filter";
      return new VideoJobState(name, VideoJobStatus.FAILED, null, null, null, jobError("raiMediaFiltered", why));
    }
    return new VideoJobState(name, VideoJobStatus.FAILED, null, null, null,
        jobError("NoGeneratedSamples", "the operation finished without a video"));
  }

  private static String firstUri(Object samples) {
    if (!(samples instanceof JsonArray list)) {
      return null;
    }
    for (Object sample : list) {
      if (sample instanceof JsonObject s && s.getValue("video") instanceof JsonObject video
          && video.getValue("uri") instanceof String uri && !uri.isBlank()) {
        return uri;
      }
    }
    return null;
  }

  private static UpstreamError jobError(String code, String message) {
    return new UpstreamError(0, "video_generation_failed", code, message, false, false, null);
  }
}
