package gateway.testsupport.fake;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Base64;

/**
 * Gemini image output: a {@code generateContent} request whose {@code generationConfig.responseModalities}
 * holds {@code IMAGE} (Gemini 2.5 Flash Image and later) is answered with {@code inlineData} parts
 * ({@code {mimeType: "image/png", data: <base64>}}), after an optional text part, in one candidate, with
 * {@code usageMetadata.candidatesTokensDetails} counting {@code IMAGE} tokens (1290 per image as Google documents
 * for 1024x1024). {@code imageConfig.aspectRatio} sets the picture's shape. A {@link Behavior#reply} answers
 * with text only: the model drew nothing.
 */
final class GeminiImageWire {

  private static final long TOKENS_PER_IMAGE = 1290;

  private final MediaEndpoints media;

  GeminiImageWire(MediaEndpoints media) {
    this.media = media;
  }

  static boolean asksForImages(JsonObject body) {
    JsonArray modalities = JsonFields.array(JsonFields.object(body, "generationConfig"), "responseModalities");
    if (modalities == null) {
      return false;
    }
    for (Object modality : modalities) {
      if (modality instanceof String m && m.equalsIgnoreCase("IMAGE")) {
        return true;
      }
    }
    return false;
  }

  void handle(HttpServerRequest request, JsonObject body, String model) {
    Behavior behavior = media.nextForGemini(model);
    media.perform(request, behavior, b -> ErrorResponse.json(b.errorStatus,
        GeminiWire.errorBody(b.errorStatus, b.errorMessage)), () -> request.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8")
        .end(answer(body, model, behavior).toBuffer()));
  }

  private static JsonObject answer(JsonObject body, String model, Behavior behavior) {
    boolean drew = behavior.kind == Behavior.Kind.IMAGES;
    int count = !drew ? 0 : behavior.imageCount != null ? behavior.imageCount : 1;
    JsonArray parts = new JsonArray();
    String text = behavior.text;
    if (!text.isEmpty()) {
      parts.add(new JsonObject().put("text", text));
    }
    int[] size = size(JsonFields.string(JsonFields.object(JsonFields.object(body, "generationConfig"), "imageConfig"),
        "aspectRatio"));
    for (int i = 0; i < count; i++) {
      parts.add(new JsonObject().put("inlineData", new JsonObject().put("mimeType", "image/png")
          .put("data", Base64.getEncoder().encodeToString(FakeMediaFiles.png(size[0], size[1], i)))));
    }
    long prompt = behavior.promptTokens != null ? behavior.promptTokens : Math.max(1, promptChars(body) / 4);
    long textTokens = text.isEmpty() ? 0 : Math.max(1, Deltas.wordCount(text));
    long output = behavior.completionTokens != null ? behavior.completionTokens : TOKENS_PER_IMAGE * count + textTokens;
    JsonArray candidateDetails = new JsonArray();
    if (count > 0) {
      candidateDetails.add(new JsonObject().put("modality", "IMAGE").put("tokenCount", TOKENS_PER_IMAGE * count));
    }
    if (textTokens > 0) {
      candidateDetails.add(new JsonObject().put("modality", "TEXT").put("tokenCount", textTokens));
    }
    JsonObject answer = new JsonObject().put("candidates", new JsonArray().add(new JsonObject()
        .put("content", new JsonObject().put("parts", parts).put("role", "model"))
        .put("finishReason", "STOP").put("index", 0)));
    if (!behavior.omitUsage) {
      answer.put("usageMetadata", new JsonObject().put("promptTokenCount", prompt)
          .put("candidatesTokenCount", output).put("totalTokenCount", prompt + output)
          .put("promptTokensDetails", new JsonArray().add(new JsonObject().put("modality", "TEXT")
              .put("tokenCount", prompt)))
          .put("candidatesTokensDetails", candidateDetails));
    }
    return answer.put("modelVersion", model).put("responseId", Ids.base62("", 22));
  }

  private static long promptChars(JsonObject body) {
    long chars = 0;
    JsonArray contents = JsonFields.array(body, "contents");
    for (Object content : contents) {
      JsonArray parts = content instanceof JsonObject c ? JsonFields.array(c, "parts") : null;
      if (parts != null) {
        chars += JsonFields.contentLength(parts);
      }
    }
    return chars;
  }

  /** 1024 pixels on the long side in the asked aspect ratio ({@code "16:9"}); square without one. */
  static int[] size(String aspectRatio) {
    if (aspectRatio != null) {
      int colon = aspectRatio.indexOf(':');
      try {
        int w = Integer.parseInt(aspectRatio.substring(0, colon));
        int h = Integer.parseInt(aspectRatio.substring(colon + 1));
        if (w > 0 && h > 0) {
          return w >= h ? new int[] {1024, Math.max(1, 1024 * h / w)} : new int[] {Math.max(1, 1024 * w / h), 1024};
        }
      } catch (RuntimeException ignored) {
        // an unreadable ratio draws a square
      }
    }
    return new int[] {1024, 1024};
  }
}
