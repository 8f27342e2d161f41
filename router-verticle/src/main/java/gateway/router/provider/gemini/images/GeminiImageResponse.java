package gateway.router.provider.gemini.images;

import gateway.common.money.Usage;
import gateway.router.media.GeneratedImage;
import gateway.router.media.ImageResult;
import gateway.router.media.UnreadableAnswerException;
import gateway.router.provider.Json;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.gemini.GeminiAdapter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Gemini {@code GenerateContentResponse} for images: every {@code inlineData} part (also the REST
 * snake-case {@code inline_data}) of every candidate is an image with its {@code mimeType}; text parts are the
 * model's commentary and are dropped. No image and a {@code promptFeedback.blockReason} or a candidate's
 * non-{@code STOP} {@code finishReason} ({@code SAFETY}, {@code IMAGE_SAFETY}, {@code NO_IMAGE}, ...) is an empty
 * result with that reason. Usage: {@code promptTokenCount} in, {@code candidatesTokenCount} (image tokens
 * included) plus {@code thoughtsTokenCount} out.
 */
public final class GeminiImageResponse {

  private static final GeminiAdapter ERRORS = new GeminiAdapter();

  private GeminiImageResponse() {
  }

  public static ImageResult parse(Buffer body) {
    JsonObject json = Json.objectOrNull(body);
    if (json == null) {
      throw new UnreadableAnswerException(UpstreamError.transport(
          "the upstream's image answer is not JSON: " + Json.quote(body)));
    }
    List<GeneratedImage> images = new ArrayList<>();
    String refusal = null;
    JsonArray candidates = json.getValue("candidates") instanceof JsonArray c ? c : new JsonArray();
    for (Object item : candidates) {
      if (!(item instanceof JsonObject candidate)) {
        continue;
      }
      String finish = candidate.getValue("finishReason") instanceof String f ? f : null;
      if (finish != null && !finish.equals("STOP") && refusal == null) {
        refusal = finish;
      }
      JsonObject content = candidate.getValue("content") instanceof JsonObject o ? o : null;
      JsonArray parts = content != null && content.getValue("parts") instanceof JsonArray p ? p : new JsonArray();
      for (Object part : parts) {
        JsonObject inline = part instanceof JsonObject p ? inline(p) : null;
        if (inline != null && inline.getValue("data") instanceof String data && !data.isEmpty()) {
          String mime = inline.getValue("mimeType") instanceof String m ? m
              : inline.getValue("mime_type") instanceof String m2 ? m2 : "image/png";
          images.add(GeneratedImage.ofBase64(data, mime, null));
        }
      }
    }
    if (json.getValue("promptFeedback") instanceof JsonObject feedback
        && feedback.getValue("blockReason") instanceof String blocked) {
      refusal = blocked;
    }
    return new ImageResult(images, usage(json.getJsonObject("usageMetadata")), images.isEmpty() ? refusal : null);
  }

  /** A non-2xx answer in Google's error shape, classified as the chat adapter does (key refusals are the channel's). */
  public static UpstreamError error(int status, Buffer body) {
    return ERRORS.error(status, body);
  }

  private static JsonObject inline(JsonObject part) {
    if (part.getValue("inlineData") instanceof JsonObject o) {
      return o;
    }
    return part.getValue("inline_data") instanceof JsonObject o ? o : null;
  }

  static Usage usage(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    long thoughts = Json.longAt(usage, "thoughtsTokenCount");
    return new Usage(Json.longAt(usage, "promptTokenCount"), 0, 0,
        Json.longAt(usage, "candidatesTokenCount") + thoughts, thoughts);
  }
}
