package gateway.router.provider.gemini.images;

import gateway.common.bus.Route;
import gateway.router.media.ImageRequest;
import gateway.router.media.MediaCall;
import gateway.router.media.MediaInput;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Builds a Gemini image call: {@code POST {base_url}/models/{model}:generateContent} with the prompt (and any
 * images to edit, as {@code inlineData} parts) in one user turn and {@code generationConfig.responseModalities:
 * ["IMAGE"]}. An OpenAI {@code size} becomes {@code imageConfig.aspectRatio}: the nearest ratio Gemini supports.
 * Gemini draws one image per call, so {@code n} images are {@link #callsFor n calls}. OpenAI-only fields
 * ({@code quality}, {@code response_format}, ...) have no Gemini counterpart and are not sent; an extra
 * {@code imageConfig} object (e.g. {@code {"imageSize": "2K"}}) is merged in.
 */
public final class GeminiImageRequest {

  /** Gemini's supported aspect ratios, as width and height. */
  private static final int[][] RATIOS = {{1, 1}, {2, 3}, {3, 2}, {3, 4}, {4, 3}, {4, 5}, {5, 4}, {9, 16}, {16, 9},
      {21, 9}};

  private GeminiImageRequest() {
  }

  public static MediaCall generateContent(ImageRequest request, Route route) {
    String model = route.upstreamModel() != null ? route.upstreamModel() : request.model();
    JsonArray parts = new JsonArray().add(new JsonObject().put("text", request.prompt()));
    for (MediaInput image : request.images()) {
      parts.add(new JsonObject().put("inlineData", new JsonObject().put("mimeType", image.contentType())
          .put("data", Base64.getEncoder().encodeToString(image.bytes().getBytes()))));
    }
    JsonObject imageConfig = request.extra().getValue("imageConfig") instanceof JsonObject given
        ? given.copy() : new JsonObject();
    String ratio = aspectRatio(request.size());
    if (ratio != null && !imageConfig.containsKey("aspectRatio")) {
      imageConfig.put("aspectRatio", ratio);
    }
    JsonObject generationConfig = new JsonObject().put("responseModalities", new JsonArray().add("IMAGE"));
    if (!imageConfig.isEmpty()) {
      generationConfig.put("imageConfig", imageConfig);
    }
    JsonObject body = new JsonObject()
        .put("contents", new JsonArray().add(new JsonObject().put("role", "user").put("parts", parts)))
        .put("generationConfig", generationConfig);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    if (route.channel().apiKey() != null && !route.channel().apiKey().isEmpty()) {
      headers.add("x-goog-api-key", route.channel().apiKey());
    }
    String base = route.channel().baseUrl();
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return MediaCall.post(base + "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + ":generateContent",
        headers, body.toBuffer());
  }

  /** How many calls make {@code n} images: one per image. */
  public static int callsFor(ImageRequest request) {
    return request.count();
  }

  /** The supported ratio nearest to {@code WxH}; null for {@code auto}, none or an unreadable size. */
  static String aspectRatio(String size) {
    if (size == null) {
      return null;
    }
    int x = size.indexOf('x');
    double wanted;
    try {
      wanted = (double) Integer.parseInt(size.substring(0, x)) / Integer.parseInt(size.substring(x + 1));
    } catch (RuntimeException unreadable) {
      return null;
    }
    int[] best = RATIOS[0];
    for (int[] ratio : RATIOS) {
      if (Math.abs(Math.log(wanted * ratio[1] / ratio[0])) < Math.abs(Math.log(wanted * best[1] / best[0]))) {
        best = ratio;
      }
    }
    return best[0] + ":" + best[1];
  }
}
