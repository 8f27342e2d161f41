package gateway.testsupport.fake;

import io.netty.channel.ChannelOption;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in LLM provider for tests: a real HTTP server on 127.0.0.1 speaking the published wire formats of
 * OpenAI Chat Completions, OpenAI Responses, OpenAI Embeddings, Anthropic Messages and Google Gemini
 * (generateContent / streamGenerateContent), streaming included, with the providers' own auth failures and
 * error bodies; and the media APIs: OpenAI Images and Videos, Gemini image output, DashScope's asynchronous
 * video synthesis and Gemini Veo's long-running operations (see "Media" in {@link Behavior}). Tests script per upstream model what happens ({@link #script(String, Behavior...)}) and inspect
 * what the gateway sent ({@link #requests()}).
 *
 * <p>Faithful to: paths, required headers and fields, response objects and their field names, stream event
 * names, order and framing ({@code \n\n} for OpenAI/Anthropic, {@code \r\n\r\n} for Gemini), {@code [DONE]}
 * only for chat completions, usage semantics per provider (see {@link Behavior}), error bodies and types.
 * Simplified: it never looks at the prompt beyond counting its characters; ids are random but well-shaped;
 * token counts are estimates unless scripted; one chat choice only ({@code n} is ignored); no logprobs,
 * audio, thinking blocks or server tools. Broken only where a test asks: {@link Behavior}'s garbage behaviors
 * (raw bodies, wrong statuses and content types, truncated bodies, noise in a stream, a stream that never ends)
 * and streaming faults; {@link #activeRequests()} tells a test afterwards whether every call was ended.
 * Images are always PNG.
 *
 * <p>Every request runs on the server's event loop without blocking; with no delays scripted a request costs one
 * JSON parse and one encode. Recording keeps a copy of every request; a load benchmark can turn it off with
 * {@link #recordRequests(boolean)}.
 */
public final class FakeUpstream {

  private static final Logger log = LoggerFactory.getLogger(FakeUpstream.class);
  private static final String HOST = "127.0.0.1";
  private static final String GEMINI_MODELS = "/v1beta/models/";
  private static final Wire CHAT = new OpenAiChatWire();
  private static final Wire RESPONSES = new OpenAiResponsesWire();
  private static final Wire EMBEDDINGS = new OpenAiEmbeddingsWire();
  private static final Wire ANTHROPIC = new AnthropicWire();
  private static final Route CHAT_ROUTE = new Route(CHAT, null, null);
  private static final Route RESPONSES_ROUTE = new Route(RESPONSES, null, null);
  private static final Route EMBEDDINGS_ROUTE = new Route(EMBEDDINGS, null, false);
  private static final Route ANTHROPIC_ROUTE = new Route(ANTHROPIC, null, null);

  private final Vertx vertx;
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final AtomicInteger openStreams = new AtomicInteger();
  private final AtomicInteger cancelledStreams = new AtomicInteger();
  private final AtomicInteger activeRequests = new AtomicInteger();
  private final StreamWriter.Listener streamListener = new StreamWriter.Listener() {
    @Override
    public void streamOpened() {
      openStreams.incrementAndGet();
    }

    @Override
    public void streamEnded(boolean cancelledByClient) {
      openStreams.decrementAndGet();
      if (cancelledByClient) {
        cancelledStreams.incrementAndGet();
      }
    }
  };
  private final MediaEndpoints media;
  private volatile HttpServer server;
  private volatile String expectedApiKey;
  private volatile boolean recording = true;

  private FakeUpstream(Vertx vertx) {
    this.vertx = vertx;
    this.media = new MediaEndpoints(this);
  }

  /** Binds 127.0.0.1 on a random free port. */
  public static Future<FakeUpstream> start(Vertx vertx) {
    FakeUpstream fake = new FakeUpstream(vertx);
    // OpenAI takes image and video prompts of 32,000 characters in a form: more than Vert.x's 8 KiB form field default
    return vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(0).setMaxFormAttributeSize(128 * 1024)
        .setMaxFormBufferedBytes(16 * 1024))
        .requestHandler(fake::handle)
        .listen(0, HOST)
        .map(server -> {
          fake.server = server;
          log.debug("fake upstream listening on {}:{}", HOST, server.actualPort());
          return fake;
        });
  }

  /** Stops listening and closes every open connection (hung requests included). */
  public Future<Void> close() {
    HttpServer s = server;
    return s == null ? Future.succeededFuture() : s.close();
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:<port>/v1}: chat completions, responses, embeddings. */
  public String openAiBaseUrl() {
    return "http://" + HOST + ":" + port() + "/v1";
  }

  /** {@code http://127.0.0.1:<port>/v1}: {@code POST /v1/messages}. */
  public String anthropicBaseUrl() {
    return "http://" + HOST + ":" + port() + "/v1";
  }

  /**
   * {@code http://127.0.0.1:<port>/v1beta}: {@code POST /v1beta/models/{m}:generateContent}, and Veo's
   * {@code POST /v1beta/models/{m}:predictLongRunning} with {@code GET /v1beta/{operation name}}.
   */
  public String geminiBaseUrl() {
    return "http://" + HOST + ":" + port() + "/v1beta";
  }

  /**
   * {@code http://127.0.0.1:<port>/api/v1}, DashScope's API root: {@code POST
   * /api/v1/services/aigc/video-generation/video-synthesis} and {@code GET /api/v1/tasks/{task_id}}.
   */
  public String dashScopeBaseUrl() {
    return "http://" + HOST + ":" + port() + "/api/v1";
  }

  /** {@code http://127.0.0.1:<port>}: where the fake's own media URLs ({@code /files/...}) live. */
  String origin() {
    return "http://" + HOST + ":" + port();
  }

  /**
   * Status polls a video job (OpenAI video id, DashScope task id, or a Veo operation's last name segment) has had;
   * 0 for an unknown job.
   */
  public int pollsOf(String jobId) {
    return media.pollsOf(jobId);
  }

  /**
   * Downloads of one media URL the fake handed out (an image URL, a DashScope {@code video_url}, given whole or
   * as its path), or of an OpenAI video's {@code /v1/videos/{id}/content} or a Veo sample's
   * {@code /v1beta/files/{id}:download}; expired and refused attempts count too.
   */
  public int downloadsOf(String url) {
    return media.downloadsOf(url);
  }

  /** The ids of every video job created on this fake, oldest first. */
  public List<String> videoJobIds() {
    return media.jobIds();
  }

  /**
   * Requires this API key (null: none required). A request without it gets the provider's own answer: OpenAI
   * 401 ({@code Authorization: Bearer}), Anthropic 401 ({@code x-api-key}), Gemini ({@code x-goog-api-key} or
   * {@code ?key=}) 400 {@code API_KEY_INVALID} for a wrong key and 403 {@code PERMISSION_DENIED} for none, as
   * Google answers. Kept by {@link #reset()}.
   */
  public FakeUpstream expectApiKey(String key) {
    this.expectedApiKey = key;
    return this;
  }

  /**
   * The n-th request for {@code upstreamModel} from now on gets {@code behaviors[n % behaviors.length]}: the
   * behaviors take turns for as long as the test runs (a soak's mix of answers and errors). Replaces any earlier
   * script for that model.
   */
  public FakeUpstream scriptCycle(String upstreamModel, Behavior... behaviors) {
    script(upstreamModel, behaviors);
    scripts.put(upstreamModel, new Script(behaviors.clone(), true));
    return this;
  }

  /**
   * The n-th request for {@code upstreamModel} from now on gets {@code behaviors[n]}; the last one repeats.
   * Replaces any earlier script for that model. Models never scripted get
   * {@code Behavior.reply("Hello from <model>")}. Requests refused before generation (bad key, invalid body) do
   * not consume a behavior.
   */
  public FakeUpstream script(String upstreamModel, Behavior... behaviors) {
    Objects.requireNonNull(upstreamModel, "upstreamModel");
    if (behaviors.length == 0) {
      throw new IllegalArgumentException("script needs at least one behavior");
    }
    for (Behavior behavior : behaviors) {
      Objects.requireNonNull(behavior, "behavior");
    }
    scripts.put(upstreamModel, new Script(behaviors.clone(), false));
    return this;
  }

  /** Every request received, in order of arrival (a copy). */
  public List<RecordedRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The recorded requests whose model is {@code upstreamModel}, in order. */
  public List<RecordedRequest> requestsFor(String upstreamModel) {
    synchronized (requests) {
      return requests.stream().filter(r -> Objects.equals(upstreamModel, r.model())).toList();
    }
  }

  /** Stream responses accepted and not yet ended (counted from acceptance, first-byte delay included). */
  public int openStreams() {
    return openStreams.get();
  }

  /**
   * Requests received whose response has not ended and whose connection is still open: requests being answered,
   * streams being written, hung requests. Zero once every caller has finished or hung up.
   */
  public int activeRequests() {
    return activeRequests.get();
  }

  /** Streams whose client closed the connection before the fake finished writing them. */
  public int cancelledStreams() {
    return cancelledStreams.get();
  }

  /** Turns request recording on (the default) or off, e.g. for a load benchmark. */
  public FakeUpstream recordRequests(boolean on) {
    this.recording = on;
    return this;
  }

  /** Forgets scripts, recorded requests, video jobs, hosted files and the counters; keeps the expected API key. */
  public void reset() {
    scripts.clear();
    media.reset();
    synchronized (requests) {
      requests.clear();
    }
    cancelledStreams.set(0);
  }

  private void handle(HttpServerRequest request) {
    activeRequests.incrementAndGet();
    boolean[] over = {false};
    Runnable finished = () -> {
      if (!over[0]) {
        over[0] = true;
        activeRequests.decrementAndGet();
      }
    };
    request.response().endHandler(v -> finished.run());
    request.response().closeHandler(v -> finished.run());
    if (media.handles(request)) {
      return;
    }
    Route route = route(request);
    request.body()
        .onSuccess(body -> dispatch(request, route, body, finished))
        .onFailure(e -> log.debug("fake upstream could not read the body of {} {}", request.method(), request.path(), e));
  }

  private void dispatch(HttpServerRequest request, Route route, Buffer rawBody, Runnable finished) {
    JsonObject body = parseObject(rawBody);
    Wire wire = route == null ? null : route.wire;
    String model = route != null && route.model != null ? route.model : JsonFields.string(body, "model");
    boolean stream = route != null && route.stream != null
        ? route.stream
        : wire != null && wire != EMBEDDINGS && JsonFields.isTrue(body, "stream");
    if (recording) {
      record(new RecordedRequest(request.method().name(), request.path(), request.query(),
          MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body,
          wire == null ? null : wire.protocol(), model, stream));
    }
    if (wire == null) {
      send(request, notFound(request), null);
      return;
    }
    String key = expectedApiKey;
    ErrorResponse refusal = key == null ? null : wire.checkApiKey(request.headers(), request.query(), key);
    if (refusal == null && body == null) {
      refusal = wire.invalidJson();
    }
    if (refusal == null) {
      refusal = wire.validate(request.headers(), body, stream);
    }
    if (refusal != null) {
      send(request, refusal, null);
      return;
    }
    if (wire == GeminiWire.SSE && !stream && GeminiImageWire.asksForImages(body)) {
      media.geminiImages(request, body, model);
      return;
    }
    respond(request, wire, next(model), body, model, stream, finished);
  }

  private void respond(HttpServerRequest request, Wire wire, Behavior behavior, JsonObject body, String model,
                       boolean stream, Runnable finished) {
    switch (behavior.kind) {
      case HANG -> log.debug("fake upstream hangs {} for {}", request.path(), model);
      case RESET -> afterFirstByteDelay(request, behavior, finished,
          () -> closeConnection(request.connection(), true));
      case ERROR -> afterFirstByteDelay(request, behavior, finished,
          () -> send(request, wire.error(behavior.errorStatus, behavior.errorMessage), behavior));
      case RAW -> afterFirstByteDelay(request, behavior, finished, () -> send(request, behavior.rawStatus,
          behavior.rawContentType, Buffer.buffer(behavior.rawBody), behavior));
      case REPLY -> {
        if (behavior.streamOnly && !stream) {
          afterFirstByteDelay(request, behavior, finished, () -> send(request, wire.streamRequired(), behavior));
          return;
        }
        Reply reply = new Reply(behavior, model, body, wire.promptChars(body));
        if (stream) {
          StreamWriter.start(vertx, request, wire.stream(reply), behavior, streamListener, finished);
        } else {
          Buffer answer = wire.body(reply);
          afterFirstByteDelay(request, behavior, finished,
              () -> send(request, 200, wire.contentType(), answer, behavior));
        }
      }
      case IMAGES, VIDEO_JOB -> send(request, wire.error(400, "this model makes media, not " + wire.protocol()),
          behavior);
      default -> throw new IllegalStateException("unknown behavior " + behavior.kind);
    }
  }

  private Behavior next(String model) {
    return nextOr(model, Behavior.reply("Hello from " + model));
  }

  /** The next scripted behavior for {@code model}, or {@code fallback} when it has no script. */
  Behavior nextOr(String model, Behavior fallback) {
    Script script = scripts.get(model);
    return script != null ? script.next() : fallback;
  }

  Vertx vertx() {
    return vertx;
  }

  String expectedApiKey() {
    return expectedApiKey;
  }

  void recordIfOn(RecordedRequest recorded) {
    if (recording) {
      record(recorded);
    }
  }

  private void record(RecordedRequest recorded) {
    synchronized (requests) {
      requests.add(recorded);
    }
  }

  private void afterFirstByteDelay(HttpServerRequest request, Behavior behavior, Runnable finished,
                                   Runnable action) {
    HttpServerResponse response = request.response();
    long delay = StreamWriter.millis(behavior.firstByteDelay);
    if (delay == 0) {
      action.run();
      return;
    }
    long timer = vertx.setTimer(delay, id -> {
      if (!response.closed()) {
        action.run();
      }
    });
    response.closeHandler(v -> {
      vertx.cancelTimer(timer);
      finished.run();
    });
  }

  /** Which protocol a request speaks, from its path alone; null for a path no provider serves. */
  private static Route route(HttpServerRequest request) {
    if (request.method() != HttpMethod.POST) {
      return null;
    }
    String path = request.path();
    Route fixed = switch (path) {
      case "/v1/chat/completions" -> CHAT_ROUTE;
      case "/v1/responses" -> RESPONSES_ROUTE;
      case "/v1/embeddings" -> EMBEDDINGS_ROUTE;
      case "/v1/messages" -> ANTHROPIC_ROUTE;
      default -> null;
    };
    if (fixed != null || !path.startsWith(GEMINI_MODELS)) {
      return fixed;
    }
    int colon = path.lastIndexOf(':');
    if (colon <= GEMINI_MODELS.length()) {
      return null;
    }
    String model = URLDecoder.decode(path.substring(GEMINI_MODELS.length(), colon), StandardCharsets.UTF_8);
    return switch (path.substring(colon + 1)) {
      case "generateContent" -> new Route(GeminiWire.SSE, model, false);
      case "streamGenerateContent" ->
          new Route("sse".equals(request.getParam("alt")) ? GeminiWire.SSE : GeminiWire.JSON_ARRAY, model, true);
      default -> null;
    };
  }

  private static ErrorResponse notFound(HttpServerRequest request) {
    String path = request.path();
    if (path.startsWith("/v1beta/")) {
      return ErrorResponse.json(404, GeminiWire.errorBody(404, "Requested entity was not found."));
    }
    if (request.headers().contains("anthropic-version")) {
      return ErrorResponse.json(404, new JsonObject().put("type", "error")
          .put("error", new JsonObject().put("type", "not_found_error").put("message", "Not Found")));
    }
    return OpenAiErrors.invalidUrl(request.method().name(), path);
  }

  private static JsonObject parseObject(Buffer raw) {
    if (raw == null || raw.length() == 0) {
      return null;
    }
    try {
      return raw.toJsonObject();
    } catch (RuntimeException notAnObject) {
      return null;
    }
  }

  private static void send(HttpServerRequest request, ErrorResponse error, Behavior behavior) {
    send(request, error.status(), error.contentType(), error.body(), behavior);
  }

  /** A whole (non-stream) answer, broken the way the behavior's garbage options say. */
  private static void send(HttpServerRequest request, int status, String contentType, Buffer body,
                           Behavior behavior) {
    HttpServerResponse response = request.response();
    if (response.closed()) {
      return;
    }
    response.setStatusCode(status(behavior, status))
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType(behavior, contentType));
    addHeaders(response, behavior);
    if (behavior != null && behavior.cutBodyAfterBytes >= 0) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
      response.write(body.getBuffer(0, Math.min(behavior.cutBodyAfterBytes, body.length())))
          .onComplete(written -> closeConnection(request.connection(), false));
      return;
    }
    if (behavior != null && behavior.truncateBodyBytes >= 0) {
      response.end(body.getBuffer(0, Math.min(behavior.truncateBodyBytes, body.length())));
      return;
    }
    response.end(body);
  }

  static int status(Behavior behavior, int status) {
    return behavior != null && behavior.statusOverride >= 0 ? behavior.statusOverride : status;
  }

  static String contentType(Behavior behavior, String contentType) {
    return behavior != null && behavior.contentTypeOverride != null ? behavior.contentTypeOverride : contentType;
  }

  static void addHeaders(HttpServerResponse response, Behavior behavior) {
    if (behavior != null) {
      for (Map.Entry<String, String> header : behavior.headers) {
        response.headers().add(header.getKey(), header.getValue());
      }
    }
  }

  /** For the media wires: like the chat paths' first-byte delay, on a response alone. */
  void afterFirstByteDelay(HttpServerResponse response, Behavior behavior, Runnable action) {
    long delay = StreamWriter.millis(behavior.firstByteDelay);
    if (delay == 0) {
      action.run();
      return;
    }
    long timer = vertx.setTimer(delay, id -> {
      if (!response.closed()) {
        action.run();
      }
    });
    response.closeHandler(v -> vertx.cancelTimer(timer));
  }

  /** For the media wires: a whole answer, as rendered (the garbage options are the chat paths'). */
  static void send(HttpServerResponse response, ErrorResponse error, Behavior behavior) {
    send(response, error.status(), error.contentType(), error.body(), behavior);
  }

  static void send(HttpServerResponse response, int status, String contentType, Buffer body, Behavior behavior) {
    if (response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    addHeaders(response, behavior);
    response.end(body);
  }

  /** Closes the TCP connection; with {@code reset} an RST instead of a FIN where the transport allows it. */
  static void closeConnection(HttpConnection connection, boolean reset) {
    if (reset && connection instanceof ConnectionBase base) {
      try {
        base.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      } catch (RuntimeException unsupported) {
        log.debug("fake upstream cannot set SO_LINGER, closing normally", unsupported);
      }
    }
    connection.close();
  }

  /** The protocol of a path; {@code model} and {@code stream} are set when the path itself says (Gemini). */
  private record Route(Wire wire, String model, Boolean stream) {}

  private static final class Script {
    private final Behavior[] behaviors;
    private final boolean cycle;
    private final AtomicInteger calls = new AtomicInteger();

    Script(Behavior[] behaviors, boolean cycle) {
      this.behaviors = behaviors;
      this.cycle = cycle;
    }

    Behavior next() {
      if (cycle) {
        return behaviors[Math.floorMod(calls.getAndIncrement(), behaviors.length)];
      }
      int n = calls.getAndUpdate(i -> i < behaviors.length - 1 ? i + 1 : i);
      return behaviors[n];
    }
  }
}
