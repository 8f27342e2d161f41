package gateway.router.provider.dashscope;

import gateway.common.bus.Route;
import gateway.router.media.MediaCall;
import gateway.router.media.VideoJobRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Builds DashScope's asynchronous video synthesis calls. A channel's {@code base_url} is the API root with its
 * version ({@code https://dashscope.aliyuncs.com/api/v1}, {@code https://dashscope-intl.aliyuncs.com/api/v1}).
 * Create: {@code POST {base}/services/aigc/video-generation/video-synthesis} with {@code X-DashScope-Async:
 * enable} and {@code {model, input: {prompt, img_url?}, parameters: {resolution, duration, ratio?}}}; the
 * client's extra {@code input} and {@code parameters} members (e.g. {@code negative_prompt},
 * {@code prompt_extend}, {@code seed}, {@code watermark}) are merged in, the named ones winning. {@code duration}
 * is always sent: it is what is held, and DashScope's own default could differ. Poll:
 * {@code GET {base}/tasks/{task_id}}.
 */
public final class DashScopeVideoRequest {

  static final String SYNTHESIS_PATH = "/services/aigc/video-generation/video-synthesis";

  private DashScopeVideoRequest() {
  }

  public static MediaCall create(VideoJobRequest request, Route route) {
    JsonObject extra = request.extra();
    JsonObject input = extra.getValue("input") instanceof JsonObject given ? given.copy() : new JsonObject();
    if (request.prompt() != null) {
      input.put("prompt", request.prompt());
    }
    if (request.imageUrl() != null) {
      input.put("img_url", request.imageUrl());
    }
    JsonObject parameters = extra.getValue("parameters") instanceof JsonObject given
        ? given.copy() : new JsonObject();
    parameters.put("duration", request.seconds());
    if (request.resolution() != null) {
      parameters.put("resolution", request.resolution());
    }
    if (request.ratio() != null) {
      parameters.put("ratio", request.ratio());
    }
    if (request.size() != null && request.resolution() == null) {
      parameters.put("size", request.size().replace('x', '*'));
    }
    JsonObject body = new JsonObject()
        .put("model", route.upstreamModel() != null ? route.upstreamModel() : request.model())
        .put("input", input)
        .put("parameters", parameters);
    MultiMap headers = headers(route).add("content-type", "application/json").add("X-DashScope-Async", "enable");
    return MediaCall.post(base(route) + SYNTHESIS_PATH, headers, body.toBuffer());
  }

  public static MediaCall poll(Route route, String taskId) {
    return MediaCall.get(base(route) + "/tasks/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8), headers(route));
  }

  private static MultiMap headers(Route route) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("accept", "application/json");
    if (route.channel().apiKey() != null && !route.channel().apiKey().isEmpty()) {
      headers.add("authorization", "Bearer " + route.channel().apiKey());
    }
    return headers;
  }

  private static String base(Route route) {
    String base = route.channel().baseUrl();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
