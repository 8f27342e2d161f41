package gateway.testsupport.fake;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The media side of the {@link FakeUpstream}: routes the OpenAI Images and Videos, DashScope, Gemini Veo and
 * hosted-file paths, reads JSON and multipart bodies, records each request, applies the scripted behavior's delays
 * and faults, and keeps the video jobs and hosted files for the fake's lifetime.
 */
final class MediaEndpoints {

  private static final Logger log = LoggerFactory.getLogger(MediaEndpoints.class);
  static final String IMAGES_GENERATIONS = "/v1/images/generations";
  static final String IMAGES_EDITS = "/v1/images/edits";
  static final String VIDEOS = "/v1/videos";
  static final String DASHSCOPE_SYNTHESIS = "/api/v1/services/aigc/video-generation/video-synthesis";
  static final String DASHSCOPE_TASKS = "/api/v1/tasks/";

  private final FakeUpstream fake;
  final HostedFiles files = new HostedFiles();
  private final Map<String, VideoJob> jobs = new ConcurrentHashMap<>();
  private final List<String> jobOrder = new ArrayList<>();
  private final OpenAiImagesWire images = new OpenAiImagesWire(this);
  private final OpenAiVideosWire videos = new OpenAiVideosWire(this);
  private final DashScopeWire dashScope = new DashScopeWire(this);
  private final GeminiVeoWire veo = new GeminiVeoWire(this);
  private final GeminiImageWire gemini = new GeminiImageWire(this);

  MediaEndpoints(FakeUpstream fake) {
    this.fake = fake;
  }

  /** Takes the request when its path is a media one; false leaves it to the chat wires. */
  boolean handles(HttpServerRequest request) {
    String path = request.path();
    HttpMethod method = request.method();
    if (files.handles(request)) {
      record(request, null, null, null);
      files.serve(request);
      return true;
    }
    if (method == HttpMethod.POST && (path.equals(IMAGES_GENERATIONS) || path.equals(IMAGES_EDITS))) {
      readBody(request, body -> images.handle(request, body));
      return true;
    }
    if (path.equals(VIDEOS) && method == HttpMethod.POST || path.startsWith(VIDEOS + "/") && method == HttpMethod.GET) {
      readBody(request, body -> videos.handle(request, body));
      return true;
    }
    if (path.equals(DASHSCOPE_SYNTHESIS) && method == HttpMethod.POST
        || path.startsWith(DASHSCOPE_TASKS) && method == HttpMethod.GET) {
      readBody(request, body -> dashScope.handle(request, body));
      return true;
    }
    if (method == HttpMethod.POST && GeminiVeoWire.isCreate(path) || method == HttpMethod.GET && GeminiVeoWire.isGet(path)) {
      readBody(request, body -> veo.handle(request, body));
      return true;
    }
    return false;
  }

  void geminiImages(HttpServerRequest request, JsonObject body, String model) {
    gemini.handle(request, body, model);
  }

  /** Reads a JSON or multipart body; the handler gets it once the request ended. */
  private void readBody(HttpServerRequest request, java.util.function.Consumer<MediaRequest> handler) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && contentType.toLowerCase().startsWith("multipart/form-data")) {
      Map<String, List<MediaRequest.Upload>> uploads = new LinkedHashMap<>();
      request.setExpectMultipart(true);
      request.uploadHandler(upload -> {
        Buffer bytes = Buffer.buffer();
        upload.handler(bytes::appendBuffer);
        upload.endHandler(v -> uploads.computeIfAbsent(upload.name(), n -> new ArrayList<>())
            .add(new MediaRequest.Upload(upload.name(), upload.filename(), upload.contentType(), bytes)));
      });
      request.end().onComplete(ar -> {
        if (ar.failed()) {
          // as OpenAI's multipart endpoints do: a form that cannot be parsed is the caller's 400, never no answer
          log.debug("fake upstream could not read the form of {}", request.path(), ar.cause());
          if (!request.response().ended()) {
            FakeUpstream.send(request.response(), OpenAiErrors.of(400, "Could not parse multipart form.",
                "invalid_request_error", null, null), null);
          }
          return;
        }
        JsonObject fields = new JsonObject();
        request.formAttributes().forEach(entry -> fields.put(entry.getKey(), entry.getValue()));
        handler.accept(new MediaRequest(headers, fields, uploads, true));
      });
      return;
    }
    request.body().onComplete(ar -> {
      if (ar.failed()) {
        log.debug("fake upstream could not read the body of {}", request.path(), ar.cause());
        return;
      }
      Buffer raw = ar.result();
      JsonObject fields = null;
      if (raw == null || raw.length() == 0) {
        fields = request.method() == HttpMethod.GET ? new JsonObject() : null;
      } else {
        try {
          fields = raw.toJsonObject();
        } catch (RuntimeException notAnObject) {
          fields = null;
        }
      }
      handler.accept(new MediaRequest(headers, fields, Map.of(), false));
    });
  }

  void record(HttpServerRequest request, MediaRequest body, String protocol, String model) {
    fake.recordIfOn(new RecordedRequest(request.method().name(), request.path(), request.query(),
        MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body == null ? null : body.recorded(),
        protocol, model, false));
  }

  /** The behavior for a create or generation call, after which {@code answer} runs (after any first-byte delay). */
  void perform(HttpServerRequest request, Behavior behavior, java.util.function.Function<Behavior, ErrorResponse> error,
               Runnable answer) {
    switch (behavior.kind) {
      case HANG -> log.debug("fake upstream hangs {}", request.path());
      case RESET -> fake.afterFirstByteDelay(request.response(), behavior,
          () -> FakeUpstream.closeConnection(request.connection(), true));
      case ERROR -> fake.afterFirstByteDelay(request.response(), behavior,
          () -> FakeUpstream.send(request.response(), error.apply(behavior), behavior));
      default -> fake.afterFirstByteDelay(request.response(), behavior, () -> {
        FakeUpstream.addHeaders(request.response(), behavior);
        answer.run();
      });
    }
  }

  Behavior next(String model, Behavior fallback) {
    Behavior scripted = fake.nextOr(model == null ? "" : model, fallback);
    return scripted.kind == Behavior.Kind.REPLY ? fallback : scripted;
  }

  Behavior nextForGemini(String model) {
    return fake.nextOr(model, Behavior.images());
  }

  String expectedApiKey() {
    return fake.expectedApiKey();
  }

  String origin() {
    return fake.origin();
  }

  void addJob(VideoJob job) {
    jobs.put(job.id, job);
    synchronized (jobOrder) {
      jobOrder.add(job.id);
    }
  }

  VideoJob job(String id) {
    return id == null ? null : jobs.get(id);
  }

  int pollsOf(String jobId) {
    VideoJob job = job(jobId);
    return job == null ? 0 : job.polls();
  }

  int downloadsOf(String url) {
    return files.downloadsOf(url);
  }

  List<String> jobIds() {
    synchronized (jobOrder) {
      return List.copyOf(jobOrder);
    }
  }

  void reset() {
    jobs.clear();
    synchronized (jobOrder) {
      jobOrder.clear();
    }
    files.reset();
  }
}
