package gateway.testsupport.fake;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * OpenAI Images ({@code POST /v1/images/generations} with a JSON body, {@code POST /v1/images/edits} as
 * {@code multipart/form-data} with {@code image} (or {@code image[]}), optional {@code mask}, {@code prompt}).
 * Answers {@code {created, data: [{url} | {b64_json}], background?, output_format, quality, size, usage}} as
 * the API reference shows; {@code usage} ({@code input_tokens}, {@code input_tokens_details}, {@code output_tokens},
 * {@code total_tokens}) as gpt-image models report it, absent with {@code omitUsage()}. Images are real PNGs of the
 * requested size ({@code auto} or an unreadable size: 1024x1024), whatever {@code output_format} asked.
 * Refuses what OpenAI refuses before drawing: no prompt, {@code n} outside 1–10, an unknown
 * {@code response_format}, an edit without an image.
 */
final class OpenAiImagesWire {

  static final String PROTOCOL = "openai-images";
  private static final Set<String> RESPONSE_FORMATS = Set.of("url", "b64_json");
  private static final int MAX_N = 10;
  private static final long OUTPUT_TOKENS_PER_IMAGE = 1056;

  private final MediaEndpoints media;

  OpenAiImagesWire(MediaEndpoints media) {
    this.media = media;
  }

  void handle(HttpServerRequest request, MediaRequest body) {
    boolean edit = request.path().equals(MediaEndpoints.IMAGES_EDITS);
    String model = body.fields() == null ? null : body.string("model");
    media.record(request, body, PROTOCOL, model);
    ErrorResponse refusal = refuse(request, body, edit);
    if (refusal != null) {
      FakeUpstream.send(request.response(), refusal, null);
      return;
    }
    Behavior behavior = media.next(model, Behavior.images());
    media.perform(request, behavior, b -> OpenAiErrors.forStatus(b.errorStatus, b.errorMessage),
        () -> request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(answer(body, behavior).toBuffer()));
  }

  private ErrorResponse refuse(HttpServerRequest request, MediaRequest body, boolean edit) {
    String key = media.expectedApiKey();
    ErrorResponse refusal = key == null ? null : OpenAiErrors.checkBearer(request.headers(), key);
    if (refusal != null) {
      return refusal;
    }
    if (body.fields() == null) {
      return OpenAiErrors.invalidJson();
    }
    if (body.string("prompt") == null || body.string("prompt").isBlank()) {
      return OpenAiErrors.missingParameter("prompt");
    }
    if (edit && body.uploads("image").isEmpty()) {
      return OpenAiErrors.missingParameter("image");
    }
    if (body.has("n")) {
      Integer n = body.integer("n");
      if (n == null || n < 1 || n > MAX_N) {
        return OpenAiErrors.of(400, "Invalid value for 'n': expected an integer between 1 and " + MAX_N + ".",
            "invalid_request_error", "n", "invalid_value");
      }
    }
    String format = body.string("response_format");
    if (body.has("response_format") && (format == null || !RESPONSE_FORMATS.contains(format))) {
      return OpenAiErrors.of(400, "Invalid value for 'response_format': expected one of 'url' or 'b64_json'.",
          "invalid_request_error", "response_format", "invalid_value");
    }
    return null;
  }

  private JsonObject answer(MediaRequest body, Behavior behavior) {
    int asked = body.has("n") ? body.integer("n") : 1;
    int count = behavior.imageCount != null ? behavior.imageCount : asked;
    boolean urls = switch (behavior.imageDelivery) {
      case URL -> true;
      case BASE64 -> false;
      case AS_REQUESTED -> "url".equals(body.string("response_format"));
    };
    int[] size = size(body.string("size"));
    JsonArray data = new JsonArray();
    for (int i = 0; i < count; i++) {
      byte[] png = FakeMediaFiles.png(size[0], size[1], i);
      JsonObject image = new JsonObject();
      if (urls) {
        image.put("url", media.files.host(media.origin(), png, "image/png", "png", behavior.urlTtl));
      } else {
        image.put("b64_json", Base64.getEncoder().encodeToString(png));
      }
      data.add(image);
    }
    JsonObject answer = new JsonObject().put("created", Instant.now().getEpochSecond()).put("data", data);
    if (body.string("background") != null) {
      answer.put("background", body.string("background"));
    }
    answer.put("output_format", "png")
        .put("quality", body.string("quality") != null ? body.string("quality") : "medium")
        .put("size", size[0] + "x" + size[1]);
    if (!behavior.omitUsage) {
      String prompt = body.string("prompt");
      long input = behavior.promptTokens != null ? behavior.promptTokens : Math.max(1, prompt.length() / 4);
      long imageInput = body.multipart() ? 323L * body.uploads("image").size() : 0;
      long output = behavior.completionTokens != null ? behavior.completionTokens : OUTPUT_TOKENS_PER_IMAGE * count;
      answer.put("usage", new JsonObject()
          .put("input_tokens", input + imageInput)
          .put("input_tokens_details", new JsonObject().put("text_tokens", input).put("image_tokens", imageInput))
          .put("output_tokens", output)
          .put("total_tokens", input + imageInput + output));
    }
    return answer;
  }

  /** {@code WxH} as asked; 1024x1024 for {@code auto}, absent or unreadable sizes. */
  static int[] size(String size) {
    if (size != null) {
      int x = size.indexOf('x');
      if (x > 0) {
        try {
          return new int[] {Integer.parseInt(size.substring(0, x)), Integer.parseInt(size.substring(x + 1))};
        } catch (NumberFormatException ignored) {
          // fall through to the default
        }
      }
    }
    return new int[] {1024, 1024};
  }
}
