package gateway.router.inbound.images;

import gateway.common.GatewayError;
import gateway.router.fields.JsonFields;
import gateway.router.media.ImageRequest;
import gateway.router.media.MediaInput;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Reads an image request's fields as OpenAI names them, from a JSON body or an edit's form (where every value is
 * text): {@code model} and {@code prompt} required, {@code n} a whole number ≥ 1, {@code size}, {@code quality},
 * {@code response_format} ({@code url | b64_json}), {@code output_format} ({@code png | jpeg | webp}); every other
 * field is passed on. A value of the wrong type is a 400 naming the field.
 */
final class ImageFields {
  static final Set<String> RESPONSE_FORMATS = Set.of("url", "b64_json");
  static final Set<String> OUTPUT_FORMATS = Set.of("png", "jpeg", "webp");
  private static final Set<String> NAMED = Set.of("model", "prompt", "n", "size", "quality", "response_format",
      "output_format", "stream", "image", "image[]", "mask");
  /** OpenAI's own bound on a prompt (gpt-image models), in characters. */
  static final int MAX_PROMPT_CHARS = 32_000;

  private ImageFields() {
  }

  /** The model the client named. */
  static String model(JsonObject fields) {
    Object value = fields.getValue("model");
    if (value == null) {
      throw GatewayError.MISSING_FIELD.exception("'model' is required", "model");
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw GatewayError.INVALID_VALUE.exception("'model' must be a non-empty string", "model");
    }
    JsonFields.checkIdentifier(s, "model");
    return s;
  }

  /** The request; {@code form} says the values are text (an edit's multipart form). */
  static ImageRequest request(JsonObject fields, boolean form, List<MediaInput> images, MediaInput mask) {
    Object prompt = fields.getValue("prompt");
    if (prompt == null) {
      throw GatewayError.MISSING_FIELD.exception("'prompt' is required", "prompt");
    }
    if (!(prompt instanceof String text) || text.isBlank()) {
      throw GatewayError.INVALID_VALUE.exception("'prompt' must be a non-empty string", "prompt");
    }
    if (text.length() > MAX_PROMPT_CHARS) {
      throw GatewayError.INVALID_VALUE.exception("'prompt' must be at most " + MAX_PROMPT_CHARS + " characters",
          "prompt");
    }
    Object stream = fields.getValue("stream");
    if (stream != null && !Boolean.FALSE.equals(stream) && !"false".equals(stream)) {
      throw GatewayError.INVALID_VALUE.exception("'stream' is not supported for images: the answer comes whole",
          "stream");
    }
    String responseFormat = oneOf(fields, "response_format", RESPONSE_FORMATS);
    String outputFormat = oneOf(fields, "output_format", OUTPUT_FORMATS);
    JsonObject extra = new JsonObject();
    fields.forEach(field -> {
      if (!NAMED.contains(field.getKey())) {
        extra.put(field.getKey(), field.getValue());
      }
    });
    return new ImageRequest(model(fields), text, count(fields, form), string(fields, "size"),
        string(fields, "quality"), responseFormat, outputFormat, extra, images, mask);
  }

  private static Integer count(JsonObject fields, boolean form) {
    Object value = fields.getValue("n");
    if (value == null) {
      return null;
    }
    if (form && value instanceof String s) {
      try {
        value = Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        throw GatewayError.INVALID_VALUE.exception("'n' must be a whole number ≥ 1", "n");
      }
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 1) {
      throw GatewayError.INVALID_VALUE.exception("'n' must be a whole number ≥ 1", "n");
    }
    // larger than any model's max_n: the model's own limit refuses it with the allowed bound
    return (int) Math.min(n.longValue(), Integer.MAX_VALUE);
  }

  private static String string(JsonObject fields, String field) {
    Object value = fields.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be a non-empty string", field);
    }
    JsonFields.checkIdentifier(s, field);
    return s;
  }

  private static String oneOf(JsonObject fields, String field, Set<String> allowed) {
    String value = string(fields, field);
    if (value != null && !allowed.contains(value)) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be one of " + String.join(", ",
          allowed.stream().sorted().toList()), field);
    }
    return value;
  }
}
