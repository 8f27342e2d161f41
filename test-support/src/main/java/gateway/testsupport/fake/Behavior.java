package gateway.testsupport.fake;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the {@link FakeUpstream} does with one request: an immutable value built fluently, every method returning a
 * new {@code Behavior}. The same behavior is rendered in the wire format of whichever protocol the request used.
 *
 * <h2>Token usage</h2>
 * {@link #usage(long, long)} takes provider-neutral totals: {@code promptTokens} includes cache reads and writes,
 * {@code completionTokens} includes reasoning tokens. Each protocol then reports them its own way:
 * <ul>
 *   <li>OpenAI chat/Responses: prompt as given with {@code cached_tokens} inside it; completion as given with
 *       {@code reasoning_tokens} inside it.</li>
 *   <li>Anthropic: {@code input_tokens = prompt - cacheRead - cacheWrite} (floored at 0), {@code output_tokens =
 *       completion}.</li>
 *   <li>Gemini: {@code promptTokenCount = prompt} with {@code cachedContentTokenCount} inside it;
 *       {@code candidatesTokenCount = completion - reasoning}, {@code thoughtsTokenCount = reasoning},
 *       {@code totalTokenCount = prompt + completion}.</li>
 * </ul>
 * Without {@code usage(..)}: prompt = characters of the request's prompt text / 4 (at least 1); completion = words
 * of the reply text + (characters of each tool call's name and arguments) / 4, at least 1, plus reasoning tokens.
 *
 * <h2>Errors</h2>
 * {@link #error(int, String)} renders the provider's own error body, with the error type the provider uses for
 * that status: OpenAI 400/403/404 {@code invalid_request_error}, 401 {@code invalid_request_error} with code
 * {@code invalid_api_key}, 429 {@code requests} with code {@code rate_limit_exceeded}, 5xx {@code server_error};
 * Anthropic 400 {@code invalid_request_error}, 401 {@code authentication_error}, 402 {@code billing_error},
 * 403 {@code permission_error}, 404 {@code not_found_error}, 413 {@code request_too_large}, 429
 * {@code rate_limit_error}, 500 {@code api_error}, 504 {@code timeout_error}, 529 {@code overloaded_error};
 * Gemini the google.rpc status name (400 {@code INVALID_ARGUMENT}, 429 {@code RESOURCE_EXHAUSTED}, 503
 * {@code UNAVAILABLE}...).
 *
 * <h2>Streaming faults</h2>
 * "Content deltas" counted by {@link #cutAfterChunks(int)} and {@link #errorEventAfterChunks(int, String)} are the
 * events that carry generated text or tool-call fragments (not role/lifecycle/finish events). A count of 0 triggers
 * before the first content delta; a count at or beyond the number of deltas triggers after the last one, before
 * the protocol's finishing events.
 *
 * <h2>Garbage</h2>
 * Deliberately broken answers, for fault tests; everything a garbage behavior does not break stays in the
 * provider's format:
 * <ul>
 *   <li>{@link #raw(int, String, String)}: exactly this status, content type and body, whatever the protocol (an
 *       HTML error page from a proxy, plain text, an empty body).</li>
 *   <li>{@link #sentWithStatus(int)}: the answer as rendered, under another HTTP status, e.g. an error body
 *       with 200 ({@code error(500, "..").sentWithStatus(200)}), as some OpenAI-compatible hosts answer.</li>
 *   <li>{@link #contentType(String)}: the answer as rendered, with another {@code Content-Type} (a JSON body
 *       labelled {@code text/html}, a stream labelled {@code application/json}).</li>
 *   <li>{@link #truncateBody(int)}: a non-stream body cut to its first n bytes and sent as if complete
 *       (Content-Length n): truncated JSON, well framed. {@link #cutBodyAfterBytes(int)}: the full
 *       Content-Length announced, n bytes sent, then the connection closed: a body broken off in transit.</li>
 *   <li>{@link #noiseAfterChunks(int, int)}: in a stream, after n content deltas, that many pseudo-random
 *       bytes (seeded by their count, so a run is reproducible; any byte value, newlines included), then a
 *       blank line, then the rest of the stream as usual.</li>
 *   <li>{@link #neverEnds()}: a stream that sends its content deltas and then, instead of its finishing events,
 *       an SSE comment line ({@code : keep-alive}; a newline, which is JSON whitespace, in Gemini's JSON-array
 *       stream) every {@code chunkDelay} (200 ms when none is set) until the client closes the connection, as a
 *       stuck provider behind a keep-alive proxy does. Gemini's last content chunk carries its finish reason, so
 *       there that chunk is held back too.</li>
 * <h2>Media</h2>
 * The fake also speaks the OpenAI Images API ({@code POST /v1/images/generations}, multipart
 * {@code /v1/images/edits}), Gemini image output ({@code generateContent} whose {@code generationConfig}
 * asks for {@code responseModalities} {@code IMAGE}), the OpenAI Videos API ({@code POST /v1/videos}, JSON or
 * multipart; {@code GET /v1/videos/{id}}; {@code GET /v1/videos/{id}/content}) and DashScope's asynchronous video
 * synthesis ({@code POST /api/v1/services/aigc/video-generation/video-synthesis} with {@code X-DashScope-Async:
 * enable}; {@code GET /api/v1/tasks/{id}}) and Gemini Veo ({@code POST /v1beta/models/{m}:predictLongRunning};
 * {@code GET /v1beta/models/{m}/operations/{id}}; {@code GET /v1beta/files/{id}:download}). Behaviors there:
 * <ul>
 *   <li>{@link #images()} and its modifiers {@link #imageCount}, {@link #noImages()}, {@link #asUrls()},
 *       {@link #asBase64()}, {@link #urlsExpireAfter}: real PNG bytes; URLs point at the fake itself
 *       ({@code /files/...?expires=..&signature=..}), are counted per download
 *       ({@link FakeUpstream#downloadsOf}) and answer 403 once expired, 404 when unknown.</li>
 *   <li>{@link #videoJob()} and {@link #endsAfterPolls}, {@link #endsAfter}, {@link #jobFails},
 *       {@link #jobCanceled()}, {@link #jobStalls()}, {@link #deliversSeconds}, {@link #deliversBrokenFile}: the job's script is fixed when it
 *       is created and kept in the fake's memory for the fake's lifetime, so a gateway restarted meanwhile finds
 *       it where it left it; status polls are counted per job ({@link FakeUpstream#pollsOf}). The finished file is
 *       a real MP4 whose header lasts the delivered seconds ({@link FakeMediaFiles#mp4}).</li>
 *   <li>{@link #error(int, String)} renders each media API's own error: OpenAI's body; DashScope
 *       {@code {"code", "message", "request_id"}} with its codes (400 {@code InvalidParameter}, 401
 *       {@code InvalidApiKey}, 403 {@code AccessDenied}, 429 {@code Throttling.RateQuota}, 5xx
 *       {@code InternalError}); Gemini's and Veo's {@code google.rpc} status. {@link #firstByteDelay}, {@link #hang()} and
 *       {@link #connectionReset()} work on the create and generation calls as on chat.</li>
 *   <li>An unscripted model, or a {@link #reply} scripted on an OpenAI image or video endpoint, DashScope or Veo,
 *       gets the default: {@code images()} or {@code videoJob()}. On Gemini a reply stays a text-only answer
 *       (a model that drew nothing).</li>
 * </ul>
 */
public final class Behavior {

  enum Kind { REPLY, ERROR, HANG, RESET, RAW, IMAGES, VIDEO_JOB }

  static final Duration DEFAULT_HEARTBEAT = Duration.ofMillis(200);

  /** How images are handed back: as the request's {@code response_format} asks, or always one way. */
  enum ImageDelivery { AS_REQUESTED, URL, BASE64 }

  /** The end a video job comes to. */
  enum JobEnd { SUCCEED, FAIL, CANCEL, STALL }

  static final Duration DEFAULT_URL_TTL = Duration.ofHours(1);
  static final int DEFAULT_POLLS_TO_FINISH = 2;

  record ToolCall(String name, String argumentsJson, JsonObject arguments) {}

  final Kind kind;
  final String text;
  final List<ToolCall> toolCalls;
  final int errorStatus;
  final String errorMessage;
  final Long promptTokens;
  final Long completionTokens;
  final long cacheReadTokens;
  final long cacheWriteTokens;
  final long reasoningTokens;
  final boolean omitUsage;
  final int chunks;
  final Duration firstByteDelay;
  final Duration chunkDelay;
  final int cutAfterChunks;
  final int errorEventAfterChunks;
  final String errorEventMessage;
  final String finishReason;
  final boolean streamOnly;
  final List<Map.Entry<String, String>> headers;
  final int rawStatus;
  final String rawContentType;
  final byte[] rawBody;
  final int statusOverride;
  final String contentTypeOverride;
  final int truncateBodyBytes;
  final int cutBodyAfterBytes;
  final int noiseAfterChunks;
  final int noiseBytes;
  final boolean neverEnds;
  final Integer imageCount;
  final ImageDelivery imageDelivery;
  final Duration urlTtl;
  final JobEnd jobEnd;
  final int pollsToEnd;
  final Duration timeToEnd;
  final String jobErrorCode;
  final String jobErrorMessage;
  final Integer deliveredSeconds;
  final String fileContentType;
  final byte[] fileBody;

  private Behavior(Builder b) {
    this.kind = b.kind;
    this.text = b.text;
    this.toolCalls = List.copyOf(b.toolCalls);
    this.errorStatus = b.errorStatus;
    this.errorMessage = b.errorMessage;
    this.promptTokens = b.promptTokens;
    this.completionTokens = b.completionTokens;
    this.cacheReadTokens = b.cacheReadTokens;
    this.cacheWriteTokens = b.cacheWriteTokens;
    this.reasoningTokens = b.reasoningTokens;
    this.omitUsage = b.omitUsage;
    this.chunks = b.chunks;
    this.firstByteDelay = b.firstByteDelay;
    this.chunkDelay = b.chunkDelay;
    this.cutAfterChunks = b.cutAfterChunks;
    this.errorEventAfterChunks = b.errorEventAfterChunks;
    this.errorEventMessage = b.errorEventMessage;
    this.finishReason = b.finishReason;
    this.streamOnly = b.streamOnly;
    this.headers = List.copyOf(b.headers);
    this.rawStatus = b.rawStatus;
    this.rawContentType = b.rawContentType;
    this.rawBody = b.rawBody;
    this.statusOverride = b.statusOverride;
    this.contentTypeOverride = b.contentTypeOverride;
    this.truncateBodyBytes = b.truncateBodyBytes;
    this.cutBodyAfterBytes = b.cutBodyAfterBytes;
    this.noiseAfterChunks = b.noiseAfterChunks;
    this.noiseBytes = b.noiseBytes;
    this.neverEnds = b.neverEnds;
    this.imageCount = b.imageCount;
    this.imageDelivery = b.imageDelivery;
    this.urlTtl = b.urlTtl;
    this.jobEnd = b.jobEnd;
    this.pollsToEnd = b.pollsToEnd;
    this.timeToEnd = b.timeToEnd;
    this.jobErrorCode = b.jobErrorCode;
    this.jobErrorMessage = b.jobErrorMessage;
    this.deliveredSeconds = b.deliveredSeconds;
    this.fileContentType = b.fileContentType;
    this.fileBody = b.fileBody;
  }

  /** The assistant answers with this text. */
  public static Behavior reply(String text) {
    Builder b = new Builder(Kind.REPLY);
    b.text = Objects.requireNonNull(text, "text");
    return new Behavior(b);
  }

  /** The assistant answers with one tool/function call and no text. {@code argumentsJson} must be a JSON object. */
  public static Behavior toolCall(String name, String argumentsJson) {
    Builder b = new Builder(Kind.REPLY);
    b.text = "";
    b.toolCalls.add(toolCallOf(name, argumentsJson));
    return new Behavior(b);
  }

  /** Adds one more tool call (parallel tool calls); any text set before stays and is sent first. */
  public Behavior withToolCall(String name, String argumentsJson) {
    Builder b = copy();
    b.toolCalls.add(toolCallOf(name, argumentsJson));
    return new Behavior(b);
  }

  /** An HTTP error in the protocol's own error body; see the class documentation for the error types. */
  public static Behavior error(int status, String message) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("error status must be 4xx or 5xx: " + status);
    }
    Builder b = new Builder(Kind.ERROR);
    b.errorStatus = status;
    b.errorMessage = Objects.requireNonNull(message, "message");
    return new Behavior(b);
  }

  /**
   * Accepts the request and never answers: the connection stays open until the client or {@link FakeUpstream#close()}
   * closes it. Not counted as a stream, even for a stream request.
   */
  public static Behavior hang() {
    return new Behavior(new Builder(Kind.HANG));
  }

  /**
   * Drops the TCP connection without sending any HTTP response: an RST (SO_LINGER 0) where the transport allows
   * it, else a plain close.
   */
  public static Behavior connectionReset() {
    return new Behavior(new Builder(Kind.RESET));
  }

  /**
   * Media: an image answer with as many images as the request's {@code n} (1 without), each a real PNG of the
   * requested {@code size} ({@link FakeMediaFiles#png}); as URLs or base64 as {@code response_format} asks
   * (base64 when absent, like gpt-image-1). See "Media" in the class documentation.
   */
  public static Behavior images() {
    return new Behavior(new Builder(Kind.IMAGES));
  }

  /** Media: a successful answer without any image (OpenAI {@code data: []}; Gemini a text-only candidate). */
  public static Behavior noImages() {
    return images().imageCount(0);
  }

  /** Media: exactly {@code count} images whatever {@code n} asked (fewer than asked, or none). */
  public Behavior imageCount(int count) {
    Builder b = copy();
    b.imageCount = (int) nonNegative(count, "imageCount");
    return new Behavior(b);
  }

  /** Media: images as URLs on the fake itself, whatever {@code response_format} asked (as dall-e-3 hosts do). */
  public Behavior asUrls() {
    Builder b = copy();
    b.imageDelivery = ImageDelivery.URL;
    return new Behavior(b);
  }

  /** Media: images as {@code b64_json}, whatever {@code response_format} asked (as gpt-image-1 always does). */
  public Behavior asBase64() {
    Builder b = copy();
    b.imageDelivery = ImageDelivery.BASE64;
    return new Behavior(b);
  }

  /**
   * Media: URLs the fake hands out (image URLs, DashScope {@code video_url}, OpenAI video content, Veo samples)
   * stop working this long after they were made: 403 like an expired signed URL. Default one hour.
   */
  public Behavior urlsExpireAfter(Duration ttl) {
    Builder b = copy();
    b.urlTtl = Objects.requireNonNull(ttl, "ttl");
    return new Behavior(b);
  }

  /**
   * Media: an asynchronous video job (OpenAI {@code POST /v1/videos}, DashScope video-synthesis, Veo's
   * {@code predictLongRunning}) that is queued at creation and succeeds on its second status poll, delivering the
   * requested duration.
   */
  public static Behavior videoJob() {
    return new Behavior(new Builder(Kind.VIDEO_JOB));
  }

  /** Media: the job reaches its end (success, failure or cancel) on the {@code n}-th status poll (1 or more). */
  public Behavior endsAfterPolls(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a job ends on a poll, the first at the earliest: " + n);
    }
    Builder b = copy();
    b.pollsToEnd = n;
    b.timeToEnd = null;
    return new Behavior(b);
  }

  /** Media: the job reaches its end once this much time has passed since its creation, however often it is polled. */
  public Behavior endsAfter(Duration d) {
    Builder b = copy();
    b.timeToEnd = Objects.requireNonNull(d, "d");
    return new Behavior(b);
  }

  /**
   * Media: the job fails at its end with this provider error code and message (Veo: a gRPC code name such as
   * {@code INTERNAL}, or {@code raiMediaFiltered} for its safety filter's empty answer).
   */
  public Behavior jobFails(String code, String message) {
    Builder b = copy();
    b.jobEnd = JobEnd.FAIL;
    b.jobErrorCode = Objects.requireNonNull(code, "code");
    b.jobErrorMessage = Objects.requireNonNull(message, "message");
    return new Behavior(b);
  }

  /** Media: the job is canceled at its end (DashScope {@code CANCELED}; OpenAI has no such state: {@code failed}). */
  public Behavior jobCanceled() {
    Builder b = copy();
    b.jobEnd = JobEnd.CANCEL;
    return new Behavior(b);
  }

  /** Media: the job never ends: it stays in progress however long and often it is polled. */
  public Behavior jobStalls() {
    Builder b = copy();
    b.jobEnd = JobEnd.STALL;
    return new Behavior(b);
  }

  /**
   * Media: a successful job delivers (and reports) this many seconds instead of the requested duration, as an
   * upstream that made 10 s when 4 were asked (new-api #5498); the MP4's own header says the same.
   */
  public Behavior deliversSeconds(int seconds) {
    Builder b = copy();
    b.deliveredSeconds = (int) nonNegative(seconds, "seconds");
    return new Behavior(b);
  }

  /**
   * Media, garbage: a job that succeeds (status, seconds and usage as usual) but whose file download answers 200
   * with exactly this {@code Content-Type} and body instead of its MP4: an empty body, or an HTML error page from
   * a proxy or CDN in front of the provider's storage. Every download path serves it: OpenAI's
   * {@code /v1/videos/{id}/content}, DashScope's {@code video_url} and the file Veo's download redirects to.
   */
  public Behavior deliversBrokenFile(String contentType, byte[] body) {
    Builder b = copy();
    b.fileContentType = Objects.requireNonNull(contentType, "contentType");
    b.fileBody = Objects.requireNonNull(body, "body").clone();
    return new Behavior(b);
  }

  /** Explicit provider-neutral totals; see the class documentation for how each protocol reports them. */
  public Behavior usage(long promptTokens, long completionTokens) {
    Builder b = copy();
    b.promptTokens = nonNegative(promptTokens, "promptTokens");
    b.completionTokens = nonNegative(completionTokens, "completionTokens");
    return new Behavior(b);
  }

  /** Prompt tokens served from the provider's cache (part of the prompt total). */
  public Behavior cachedTokens(long cacheRead) {
    Builder b = copy();
    b.cacheReadTokens = nonNegative(cacheRead, "cacheRead");
    return new Behavior(b);
  }

  /** Anthropic {@code cache_creation_input_tokens} (part of the prompt total); ignored by the other protocols. */
  public Behavior cacheWriteTokens(long cacheWrite) {
    Builder b = copy();
    b.cacheWriteTokens = nonNegative(cacheWrite, "cacheWrite");
    return new Behavior(b);
  }

  /** Hidden reasoning tokens (part of the completion total). */
  public Behavior reasoningTokens(long n) {
    Builder b = copy();
    b.reasoningTokens = nonNegative(n, "reasoningTokens");
    return new Behavior(b);
  }

  /** No usage anywhere, neither in a non-stream body nor in a stream, like some OpenAI-compatible hosts. */
  public Behavior omitUsage() {
    Builder b = copy();
    b.omitUsage = true;
    return new Behavior(b);
  }

  /** Streams the text in {@code n} deltas of near-equal length (default: one delta per word). */
  public Behavior chunks(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("chunks must be at least 1: " + n);
    }
    Builder b = copy();
    b.chunks = n;
    return new Behavior(b);
  }

  /** Waits this long before sending the status line and headers. */
  public Behavior firstByteDelay(Duration d) {
    Builder b = copy();
    b.firstByteDelay = Objects.requireNonNull(d, "firstByteDelay");
    return new Behavior(b);
  }

  /** Waits this long between stream events (each event is then its own network write). */
  public Behavior chunkDelay(Duration d) {
    Builder b = copy();
    b.chunkDelay = Objects.requireNonNull(d, "chunkDelay");
    return new Behavior(b);
  }

  /** Streaming: after {@code n} content deltas, closes the connection abruptly (no terminating event, no [DONE]). */
  public Behavior cutAfterChunks(int n) {
    Builder b = copy();
    b.cutAfterChunks = (int) nonNegative(n, "cutAfterChunks");
    return new Behavior(b);
  }

  /** Streaming: after {@code n} content deltas, emits the protocol's in-stream error event and ends the response. */
  public Behavior errorEventAfterChunks(int n, String message) {
    Builder b = copy();
    b.errorEventAfterChunks = (int) nonNegative(n, "errorEventAfterChunks");
    b.errorEventMessage = Objects.requireNonNull(message, "message");
    return new Behavior(b);
  }

  /**
   * An OpenAI finish reason ({@code stop, length, tool_calls, content_filter}) mapped to each protocol's own:
   * Anthropic {@code end_turn, max_tokens, tool_use, refusal}, Gemini {@code STOP, MAX_TOKENS, STOP, SAFETY},
   * Responses status {@code completed} or {@code incomplete} with its reason. Any other value is passed through
   * unchanged (so {@code "stop_sequence"} reaches Anthropic as is).
   */
  public Behavior finishReason(String openAiReason) {
    Builder b = copy();
    b.finishReason = Objects.requireNonNull(openAiReason, "openAiReason");
    return new Behavior(b);
  }

  /** Refuses non-stream requests with a 400 ("stream must be true"), like some hosts. */
  public Behavior streamOnly() {
    Builder b = copy();
    b.streamOnly = true;
    return new Behavior(b);
  }

  /** Adds a response header (e.g. {@code retry-after} on a 429). */
  public Behavior header(String name, String value) {
    Builder b = copy();
    b.headers.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
    return new Behavior(b);
  }

  /**
   * Garbage: answers exactly this status, content type and body (UTF-8), whatever protocol the request spoke;
   * no stream, no usage, no provider framing.
   */
  public static Behavior raw(int status, String contentType, String body) {
    return raw(status, contentType, Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8));
  }

  /** Garbage: like {@link #raw(int, String, String)} with arbitrary bytes. */
  public static Behavior raw(int status, String contentType, byte[] body) {
    Builder b = new Builder(Kind.RAW);
    b.rawStatus = httpStatus(status);
    b.rawContentType = Objects.requireNonNull(contentType, "contentType");
    b.rawBody = Objects.requireNonNull(body, "body").clone();
    return new Behavior(b);
  }

  /** Garbage: sends the rendered answer (error bodies and streams included) under this HTTP status instead. */
  public Behavior sentWithStatus(int status) {
    Builder b = copy();
    b.statusOverride = httpStatus(status);
    return new Behavior(b);
  }

  /** Garbage: sends the rendered answer with this {@code Content-Type} instead of the protocol's. */
  public Behavior contentType(String contentType) {
    Builder b = copy();
    b.contentTypeOverride = Objects.requireNonNull(contentType, "contentType");
    return new Behavior(b);
  }

  /** Garbage, non-stream: only the first {@code bytes} of the body, sent as a complete body of that length. */
  public Behavior truncateBody(int bytes) {
    Builder b = copy();
    b.truncateBodyBytes = (int) nonNegative(bytes, "truncateBody");
    return new Behavior(b);
  }

  /** Garbage, non-stream: announces the whole body's length, sends {@code bytes} of it, closes the connection. */
  public Behavior cutBodyAfterBytes(int bytes) {
    Builder b = copy();
    b.cutBodyAfterBytes = (int) nonNegative(bytes, "cutBodyAfterBytes");
    return new Behavior(b);
  }

  /** Garbage, streaming: {@code bytes} pseudo-random bytes and a blank line after {@code n} content deltas. */
  public Behavior noiseAfterChunks(int n, int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("noise needs at least one byte: " + bytes);
    }
    Builder b = copy();
    b.noiseAfterChunks = (int) nonNegative(n, "noiseAfterChunks");
    b.noiseBytes = bytes;
    return new Behavior(b);
  }

  /** Garbage, streaming: after the content, keep-alive comments until the client leaves; no finishing events. */
  public Behavior neverEnds() {
    Builder b = copy();
    b.neverEnds = true;
    return new Behavior(b);
  }

  boolean hasFaultAfterChunks() {
    return cutAfterChunks >= 0 || errorEventAfterChunks >= 0;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ERROR -> "Behavior[error " + errorStatus + " " + errorMessage + "]";
      case HANG -> "Behavior[hang]";
      case RESET -> "Behavior[connectionReset]";
      case RAW -> "Behavior[raw " + rawStatus + " " + rawContentType + ", " + rawBody.length + " bytes]";
      case REPLY -> "Behavior[reply '" + text + "', " + toolCalls.size() + " tool call(s)]";
      case IMAGES -> "Behavior[images " + (imageCount == null ? "n" : imageCount) + " " + imageDelivery + "]";
      case VIDEO_JOB -> "Behavior[video job " + jobEnd + " after " + (timeToEnd != null ? timeToEnd : pollsToEnd + " polls")
          + (deliveredSeconds != null ? ", " + deliveredSeconds + " s delivered" : "")
          + (fileBody != null ? ", a broken file of " + fileBody.length + " bytes" : "") + "]";
    };
  }

  private static ToolCall toolCallOf(String name, String argumentsJson) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(argumentsJson, "argumentsJson");
    try {
      return new ToolCall(name, argumentsJson, new JsonObject(argumentsJson));
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("tool call arguments must be a JSON object: " + argumentsJson, e);
    }
  }

  private static int httpStatus(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    return status;
  }

  private static long nonNegative(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must not be negative: " + value);
    }
    return value;
  }

  private Builder copy() {
    Builder b = new Builder(kind);
    b.text = text;
    b.toolCalls.addAll(toolCalls);
    b.errorStatus = errorStatus;
    b.errorMessage = errorMessage;
    b.promptTokens = promptTokens;
    b.completionTokens = completionTokens;
    b.cacheReadTokens = cacheReadTokens;
    b.cacheWriteTokens = cacheWriteTokens;
    b.reasoningTokens = reasoningTokens;
    b.omitUsage = omitUsage;
    b.chunks = chunks;
    b.firstByteDelay = firstByteDelay;
    b.chunkDelay = chunkDelay;
    b.cutAfterChunks = cutAfterChunks;
    b.errorEventAfterChunks = errorEventAfterChunks;
    b.errorEventMessage = errorEventMessage;
    b.finishReason = finishReason;
    b.streamOnly = streamOnly;
    b.headers.addAll(headers);
    b.rawStatus = rawStatus;
    b.rawContentType = rawContentType;
    b.rawBody = rawBody;
    b.statusOverride = statusOverride;
    b.contentTypeOverride = contentTypeOverride;
    b.truncateBodyBytes = truncateBodyBytes;
    b.cutBodyAfterBytes = cutBodyAfterBytes;
    b.noiseAfterChunks = noiseAfterChunks;
    b.noiseBytes = noiseBytes;
    b.neverEnds = neverEnds;
    b.imageCount = imageCount;
    b.imageDelivery = imageDelivery;
    b.urlTtl = urlTtl;
    b.jobEnd = jobEnd;
    b.pollsToEnd = pollsToEnd;
    b.timeToEnd = timeToEnd;
    b.jobErrorCode = jobErrorCode;
    b.jobErrorMessage = jobErrorMessage;
    b.deliveredSeconds = deliveredSeconds;
    b.fileContentType = fileContentType;
    b.fileBody = fileBody;
    return b;
  }

  private static final class Builder {
    final Kind kind;
    String text = "";
    final List<ToolCall> toolCalls = new ArrayList<>(2);
    int errorStatus;
    String errorMessage;
    Long promptTokens;
    Long completionTokens;
    long cacheReadTokens;
    long cacheWriteTokens;
    long reasoningTokens;
    boolean omitUsage;
    int chunks;
    Duration firstByteDelay = Duration.ZERO;
    Duration chunkDelay = Duration.ZERO;
    int cutAfterChunks = -1;
    int errorEventAfterChunks = -1;
    String errorEventMessage;
    String finishReason;
    boolean streamOnly;
    final List<Map.Entry<String, String>> headers = new ArrayList<>(1);
    int rawStatus;
    String rawContentType;
    byte[] rawBody;
    int statusOverride = -1;
    String contentTypeOverride;
    int truncateBodyBytes = -1;
    int cutBodyAfterBytes = -1;
    int noiseAfterChunks = -1;
    int noiseBytes;
    boolean neverEnds;
    Integer imageCount;
    ImageDelivery imageDelivery = ImageDelivery.AS_REQUESTED;
    Duration urlTtl = DEFAULT_URL_TTL;
    JobEnd jobEnd = JobEnd.SUCCEED;
    int pollsToEnd = DEFAULT_POLLS_TO_FINISH;
    Duration timeToEnd;
    String jobErrorCode;
    String jobErrorMessage;
    Integer deliveredSeconds;
    String fileContentType;
    byte[] fileBody;

    Builder(Kind kind) {
      this.kind = kind;
    }
  }
}
