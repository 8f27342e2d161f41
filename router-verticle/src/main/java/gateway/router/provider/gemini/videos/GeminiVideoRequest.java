package gateway.router.provider.gemini.videos;

import gateway.common.bus.Channel;
import gateway.common.bus.Route;
import gateway.router.media.MediaCall;
import gateway.router.media.VideoJobRequest;
import gateway.router.provider.ChannelHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds Gemini API Veo calls (channel {@code type: gemini}, {@code base_url} {@code
 * https://generativelanguage.googleapis.com/v1beta}), the channel's key in {@code x-goog-api-key} (never in a URL).
 * Create: {@code POST {base}/models/{model}:predictLongRunning} with {@code {instances: [{prompt, image?}],
 * parameters: {durationSeconds, resolution, aspectRatio, ...}}}: our held seconds as {@code durationSeconds}
 * (always sent: Veo's own default, 8, could differ from what is held), our tier in Veo's spelling ({@code 720P →
 * 720p}, {@code 1080P → 1080p}, {@code 2160P}/{@code 4K → 4k}; from an OpenAI {@code size} by its short side), the
 * ratio as {@code aspectRatio} (from the size's orientation when none was asked: {@code 16:9} or {@code 9:16}). An
 * uploaded first frame goes inline as {@code image: {bytesBase64Encoded, mimeType}}. The client's
 * {@code negative_prompt} and {@code person_generation} are renamed, and its extra {@code parameters} members merged
 * in, the named ones winning; {@code numberOfVideos}/{@code sampleCount} never: a job is one video, which is what
 * is held. Poll: {@code GET {base}/{operation name}}. Download: the sample's {@code uri}.
 */
public final class GeminiVideoRequest {

  /** An operation's name as the Gemini API gives it; anything else is never put into a path. */
  static final Pattern OPERATION_NAME = Pattern.compile("(models/[A-Za-z0-9._-]+/)?operations/[A-Za-z0-9._-]+");
  private static final Pattern SIZE = Pattern.compile("(\\d{2,5})[x*](\\d{2,5})");
  private static final Map<String, String> RESOLUTIONS = Map.of("480P", "480p", "720P", "720p", "1080P", "1080p",
      "2160P", "4k", "4K", "4k");
  private static final Map<Integer, String> SHORT_SIDES = Map.of(480, "480p", 720, "720p", 1080, "1080p", 2160, "4k");
  private static final Map<String, String> RENAMES = Map.of("negative_prompt", "negativePrompt",
      "person_generation", "personGeneration");
  private static final Set<String> NEVER_SENT = Set.of("numberOfVideos", "sampleCount");

  private GeminiVideoRequest() {
  }

  public static MediaCall create(VideoJobRequest request, Route route) {
    JsonObject extra = request.extra();
    JsonObject instance = new JsonObject();
    if (request.prompt() != null) {
      instance.put("prompt", request.prompt());
    }
    if (request.inputReference() != null) {
      instance.put("image", new JsonObject()
          .put("bytesBase64Encoded", Base64.getEncoder().encodeToString(request.inputReference().bytes().getBytes()))
          .put("mimeType", request.inputReference().contentType()));
    }
    JsonObject parameters = extra.getValue("parameters") instanceof JsonObject given ? given.copy() : new JsonObject();
    RENAMES.forEach((ours, veos) -> {
      if (extra.containsKey(ours)) {
        parameters.put(veos, extra.getValue(ours));
      }
    });
    NEVER_SENT.forEach(parameters::remove);
    parameters.put("durationSeconds", request.seconds());
    String resolution = resolution(request);
    if (resolution != null) {
      parameters.put("resolution", resolution);
    }
    String ratio = aspectRatio(request);
    if (ratio != null) {
      parameters.put("aspectRatio", ratio);
    }
    JsonObject body = new JsonObject().put("instances", new JsonArray().add(instance)).put("parameters", parameters);
    String model = route.upstreamModel() != null ? route.upstreamModel() : request.model();
    return MediaCall.post(base(route) + "/models/" + modelSegment(model) + ":predictLongRunning",
        headers(route.channel(), "application/json"), body.toBuffer());
  }

  public static MediaCall poll(Route route, String operationName) {
    String path = OPERATION_NAME.matcher(operationName).matches() ? operationName
        : "operations/" + URLEncoder.encode(operationName, StandardCharsets.UTF_8);
    return MediaCall.get(base(route) + "/" + path, headers(route.channel(), "application/json"));
  }

  /**
   * The sample's file. Google's download needs the key (and redirects to the bytes); the key goes only to the
   * channel's own host, never to another one an answer names.
   */
  public static MediaCall download(Route route, String uri) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("accept", "video/mp4, application/octet-stream");
    if (sameOrigin(uri, route.channel().baseUrl())) {
      headers = headers(route.channel(), "video/mp4, application/octet-stream");
      headers.remove("content-type");
    }
    return MediaCall.get(uri, headers);
  }

  /** Veo's resolution for our tier, or for the short side of an OpenAI size; null when neither says. */
  static String resolution(VideoJobRequest request) {
    if (request.resolution() != null) {
      String tier = RESOLUTIONS.get(request.resolution().toUpperCase(Locale.ROOT));
      if (tier != null) {
        return tier;
      }
    }
    String size = request.size() != null ? request.size() : request.resolution();
    Matcher m = size == null ? null : SIZE.matcher(size);
    if (m == null || !m.matches()) {
      return request.resolution();
    }
    return SHORT_SIDES.get(Math.min(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
  }

  /** The ratio asked, or the orientation of the size: Veo makes 16:9 and 9:16 only. */
  static String aspectRatio(VideoJobRequest request) {
    if (request.ratio() != null) {
      return request.ratio();
    }
    Matcher m = request.size() == null ? null : SIZE.matcher(request.size());
    if (m == null || !m.matches()) {
      return null;
    }
    return Integer.parseInt(m.group(1)) >= Integer.parseInt(m.group(2)) ? "16:9" : "9:16";
  }

  private static MultiMap headers(Channel channel, String accept) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json").add("accept", accept);
    if (channel.apiKey() != null && !channel.apiKey().isEmpty()) {
      headers.add("x-goog-api-key", channel.apiKey());
    }
    ChannelHeaders.addChannelHeaders(channel, headers);
    return headers;
  }

  private static boolean sameOrigin(String uri, String base) {
    try {
      URI a = URI.create(uri);
      URI b = URI.create(base);
      return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
          && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    } catch (IllegalArgumentException unreadable) {
      return false;
    }
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** Model names may come as Google lists them ({@code models/veo-3.1-generate-preview}); the path wants the bare one. */
  private static String modelSegment(String model) {
    String bare = Objects.requireNonNull(model, "model").startsWith("models/") ? model.substring(7) : model;
    return URLEncoder.encode(bare, StandardCharsets.UTF_8);
  }

  private static String base(Route route) {
    String base = route.channel().baseUrl();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
