package gateway.router.provider.openai.images;

import gateway.common.money.Usage;
import gateway.router.media.GeneratedImage;
import gateway.router.media.ImageResult;
import gateway.router.media.UnreadableAnswerException;
import gateway.router.provider.Json;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.openai.OpenAiErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads OpenAI's {@code ImagesResponse}: {@code data[]} of {@code {url}} or {@code {b64_json}} (with
 * {@code revised_prompt} from dall-e-3), the {@code output_format} naming the bytes' type (PNG when absent, the
 * API's default), and gpt-image models' {@code usage} ({@code input_tokens} — text and image input together —
 * and {@code output_tokens}). An answer that is not an ImagesResponse is an {@link UnreadableAnswerException}, never an empty
 * success.
 */
public final class OpenAiImagesResponse {

  private static final Map<String, String> MIME_TYPES = Map.of("png", "image/png", "jpeg", "image/jpeg",
      "jpg", "image/jpeg", "webp", "image/webp");

  private OpenAiImagesResponse() {
  }

  /** The images of a 200 answer; throws {@link UnreadableAnswerException} when the body is not an ImagesResponse. */
  public static ImageResult parse(Buffer body) {
    JsonObject json = Json.objectOrNull(body);
    if (json == null || !(json.getValue("data") instanceof JsonArray data)) {
      throw new UnreadableAnswerException(UpstreamError.transport(
          "the upstream's image answer has no data array: " + Json.quote(body)));
    }
    String format = json.getValue("output_format") instanceof String f ? f : "png";
    String mime = MIME_TYPES.getOrDefault(format, "image/png");
    List<GeneratedImage> images = new ArrayList<>(data.size());
    for (Object item : data) {
      if (!(item instanceof JsonObject image)) {
        continue;
      }
      String revised = image.getValue("revised_prompt") instanceof String r ? r : null;
      if (image.getValue("b64_json") instanceof String b64 && !b64.isEmpty()) {
        images.add(GeneratedImage.ofBase64(b64, mime, revised));
      } else if (image.getValue("url") instanceof String url && !url.isEmpty()) {
        images.add(GeneratedImage.ofUrl(url, json.containsKey("output_format") ? mime : null, revised));
      }
    }
    return new ImageResult(images, usage(json.getJsonObject("usage")), null);
  }

  /** A non-2xx answer in OpenAI's error shape. */
  public static UpstreamError error(int status, Buffer body) {
    return OpenAiErrors.read(status, body);
  }

  static Usage usage(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    return new Usage(Json.longAt(usage, "input_tokens"), 0, 0, Json.longAt(usage, "output_tokens"), 0);
  }
}
