package gateway.testsupport.fake;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Gemini API Veo video generation, a long-running operation. {@code POST /v1beta/models/{model}:predictLongRunning}
 * with {@code x-goog-api-key} and {@code {instances: [{prompt, image?: {bytesBase64Encoded, mimeType}}],
 * parameters: {aspectRatio: "16:9" | "9:16", resolution: "720p" | "1080p" | "4k", durationSeconds: 4..8,
 * negativePrompt?, personGeneration?, ...}}} answers the operation {@code {name: "models/{model}/operations/{id}"}}.
 * {@code GET /v1beta/models/{model}/operations/{id}} polls it: {@code {name, done: false}} while it runs (the
 * Gemini API reports no progress), then {@code {name, done: true, response: {"@type":
 * "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse", generateVideoResponse:
 * {generatedSamples: [{video: {uri}}]}}}}, or {@code {name, done: true, error: {code, message}}} (a
 * {@code google.rpc.Status}: {@code code} is the canonical gRPC number, e.g. 3 INVALID_ARGUMENT, 13 INTERNAL, 1
 * CANCELLED for a canceled one). A job that {@link Behavior#jobFails fails} with the code {@code raiMediaFiltered}
 * ends as Veo's safety filter does: done, with {@code generateVideoResponse: {raiMediaFilteredCount: 1,
 * raiMediaFilteredReasons: [message]}} and no samples. Other failure codes are gRPC names (or numbers); anything
 * else is 2 UNKNOWN.
 *
 * <p>The sample's {@code uri}, {@code /v1beta/files/{id}:download?alt=media}, needs the API key as every Gemini
 * call does, and answers 302 to the file on a signed link ({@link HostedFiles}), which expires like one
 * ({@link Behavior#urlsExpireAfter}; Google keeps generated videos two days). Veo reports no length: the MP4 lasts
 * the {@code durationSeconds} asked unless the behavior {@link Behavior#deliversSeconds delivers others}. Errors
 * are Google's {@code {"error": {code, message, status}}}; a wrong key 400 {@code API_KEY_INVALID}, none 403.
 */
final class GeminiVeoWire {

  static final String PROTOCOL = "gemini-veo";
  static final String MODELS = "/v1beta/models/";
  static final String PREDICT = ":predictLongRunning";
  static final String FILES = "/v1beta/files/";
  static final String DOWNLOAD = ":download";
  static final String FILTERED = "raiMediaFiltered";
  private static final String RESPONSE_TYPE =
      "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse";
  private static final int DEFAULT_SECONDS = 8;
  private static final int MIN_SECONDS = 4;
  private static final int MAX_SECONDS = 8;
  private static final Set<String> RATIOS = Set.of("16:9", "9:16");
  private static final Set<String> RESOLUTIONS = Set.of("720p", "1080p", "4k");
  private static final List<String> GRPC_CODES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED");

  private final MediaEndpoints media;

  GeminiVeoWire(MediaEndpoints media) {
    this.media = media;
  }

  /** A create ({@code POST …:predictLongRunning}). */
  static boolean isCreate(String path) {
    return path.startsWith(MODELS) && path.endsWith(PREDICT) && path.length() > MODELS.length() + PREDICT.length();
  }

  /** A poll ({@code GET /v1beta/models/{model}/operations/{id}}) or a download ({@code GET /v1beta/files/…}). */
  static boolean isGet(String path) {
    return path.startsWith(MODELS) && path.contains("/operations/") || path.startsWith(FILES) && path.endsWith(DOWNLOAD);
  }

  void handle(HttpServerRequest request, MediaRequest body) {
    String path = request.path();
    boolean create = isCreate(path);
    String model = create ? URLDecoder.decode(path.substring(MODELS.length(), path.length() - PREDICT.length()),
        StandardCharsets.UTF_8) : null;
    media.record(request, create ? body : null, PROTOCOL, model);
    boolean download = path.startsWith(FILES);
    if (download) {
      media.files.countDownload(path);
    }
    String key = media.expectedApiKey();
    ErrorResponse refusal = key == null ? null : GeminiWire.SSE.checkApiKey(request.headers(), request.query(), key);
    if (refusal != null) {
      FakeUpstream.send(request.response(), refusal, null);
      return;
    }
    if (create) {
      create(request, body, model);
    } else if (download) {
      download(request, path.substring(FILES.length(), path.length() - DOWNLOAD.length()));
    } else {
      operation(request, path.substring(path.lastIndexOf('/') + 1));
    }
  }

  private void create(HttpServerRequest request, MediaRequest body, String model) {
    if (body.fields() == null) {
      FakeUpstream.send(request.response(), error(400, "Invalid JSON payload received. Unexpected token."), null);
      return;
    }
    JsonArray instances = JsonFields.array(body.fields(), "instances");
    JsonObject instance = instances != null && !instances.isEmpty() && instances.getValue(0) instanceof JsonObject i
        ? i : null;
    JsonObject parameters = JsonFields.object(body.fields(), "parameters");
    String prompt = JsonFields.string(instance, "prompt");
    Object duration = parameters == null ? null : parameters.getValue("durationSeconds");
    String ratio = JsonFields.string(parameters, "aspectRatio");
    String resolution = JsonFields.string(parameters, "resolution");
    ErrorResponse invalid = instance == null ? error(400, "* PredictLongRunningRequest.instances: instances is required")
        : prompt == null && JsonFields.object(instance, "image") == null
            ? error(400, "A prompt or an image is required.")
        : duration != null && !(duration instanceof Number n && n.doubleValue() == n.intValue())
            ? error(400, "durationSeconds must be a whole number of seconds.")
        : duration != null && (((Number) duration).intValue() < MIN_SECONDS || ((Number) duration).intValue() > MAX_SECONDS)
            ? error(400, "The durationSeconds " + duration + " is out of bound; it must be from " + MIN_SECONDS + " to "
                + MAX_SECONDS + ".")
        : ratio != null && !RATIOS.contains(ratio)
            ? error(400, "Aspect ratio " + ratio + " is not supported; use 16:9 or 9:16.")
        : resolution != null && !RESOLUTIONS.contains(resolution)
            ? error(400, "Resolution " + resolution + " is not supported; use 720p, 1080p or 4k.") : null;
    if (invalid != null) {
      FakeUpstream.send(request.response(), invalid, null);
      return;
    }
    int seconds = duration == null ? DEFAULT_SECONDS : ((Number) duration).intValue();
    Behavior behavior = media.next(model, Behavior.videoJob());
    media.perform(request, behavior, b -> error(b.errorStatus, b.errorMessage), () -> {
      VideoJob job = new VideoJob(Ids.hex("", 12), PROTOCOL, model, prompt, seconds,
          resolution == null ? "720p" : resolution, behavior);
      media.addJob(job);
      json(request, new JsonObject().put("name", name(job)));
    });
  }

  private void operation(HttpServerRequest request, String id) {
    VideoJob job = media.job(id);
    if (job == null || !job.protocol.equals(PROTOCOL) || !request.path().equals("/v1beta/" + name(job))) {
      FakeUpstream.send(request.response(), error(404, "Requested entity was not found."), null);
      return;
    }
    VideoJob.Status status = job.poll();
    JsonObject operation = new JsonObject().put("name", name(job)).put("done", status.ended());
    switch (status.phase()) {
      case SUCCEEDED -> operation.put("response", new JsonObject().put("@type", RESPONSE_TYPE)
          .put("generateVideoResponse", new JsonObject().put("generatedSamples", new JsonArray()
              .add(new JsonObject().put("video", new JsonObject().put("uri", downloadUri(job)))))));
      case FAILED -> {
        if (FILTERED.equals(job.behavior.jobErrorCode)) {
          operation.put("response", new JsonObject().put("@type", RESPONSE_TYPE)
              .put("generateVideoResponse", new JsonObject().put("raiMediaFilteredCount", 1)
                  .put("raiMediaFilteredReasons", new JsonArray().add(job.behavior.jobErrorMessage))));
        } else {
          operation.put("error", new JsonObject().put("code", grpcCode(job.behavior.jobErrorCode))
              .put("message", job.behavior.jobErrorMessage));
        }
      }
      case CANCELED -> operation.put("error", new JsonObject().put("code", 1).put("message", "Operation was cancelled."));
      default -> { }
    }
    json(request, operation);
  }

  private void download(HttpServerRequest request, String id) {
    VideoJob job = media.job(id);
    if (job == null || !job.protocol.equals(PROTOCOL) || job.peek().phase() != VideoJob.Phase.SUCCEEDED
        || System.currentTimeMillis() >= job.completedAtMillis() + job.behavior.urlTtl.toMillis()) {
      FakeUpstream.send(request.response(), error(404, "Requested entity was not found."), null);
      return;
    }
    if (!"media".equals(request.getParam("alt"))) {
      FakeUpstream.send(request.response(), error(400, "Downloading a file needs alt=media."), null);
      return;
    }
    request.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, fileUrl(job)).end();
  }

  private synchronized String fileUrl(VideoJob job) {
    if (job.fileUrl() == null) {
      job.fileUrl(media.files.host(media.origin(), job.fileBytes(), job.fileContentType(), "mp4",
          job.behavior.urlTtl));
    }
    return job.fileUrl();
  }

  private String downloadUri(VideoJob job) {
    return media.origin() + FILES + job.id + DOWNLOAD + "?alt=media";
  }

  static String name(VideoJob job) {
    return "models/" + job.model + "/operations/" + job.id;
  }

  /** The gRPC number of a canonical code name ({@code INTERNAL} → 13), a number as given, else 2 (UNKNOWN). */
  static int grpcCode(String code) {
    int named = GRPC_CODES.indexOf(code);
    if (named >= 0) {
      return named;
    }
    try {
      return Integer.parseInt(code);
    } catch (NumberFormatException e) {
      return 2;
    }
  }

  static ErrorResponse error(int status, String message) {
    return ErrorResponse.json(status, GeminiWire.errorBody(status, message));
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8").end(body.toBuffer());
  }
}
