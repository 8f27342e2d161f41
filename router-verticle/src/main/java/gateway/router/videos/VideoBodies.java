package gateway.router.videos;

import gateway.common.GatewayError;
import gateway.router.fields.ClientBodies;
import gateway.router.fields.JsonFields;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Reads the two submit shapes into a {@link VideoSubmitter.Submission}: the reference's
 * {@code POST /v1/videos/generations} ({@code model, prompt, resolution, duration, ratio}, JSON) and OpenAI's
 * {@code POST /v1/videos} ({@code model, prompt, seconds, size}, JSON or {@code multipart/form-data} as the SDKs
 * send it; the reference's names are taken there too). Unknown fields travel upstream as they came.
 */
final class VideoBodies {
  private static final Set<String> KNOWN = Set.of("model", "prompt", "resolution", "duration", "seconds", "ratio",
      "size", "image_url", "img_url", "input_reference");
  private static final int MAX_PROMPT_CHARS = 32_000;

  private VideoBodies() {
  }

  /** {@code POST /v1/videos/generations}: resolution and duration required, as the reference documents. */
  static VideoSubmitter.Submission generation(RoutingContext ctx) {
    JsonObject body = ClientBodies.jsonObject(ctx.body().buffer());
    String model = ClientBodies.requiredString(body, "model");
    String prompt = prompt(body, true);
    Integer duration = seconds(body, "duration");
    String resolution = text(body, "resolution");
    if (resolution == null) {
      throw GatewayError.MISSING_FIELD.exception("'resolution' is required, such as \"720P\"", "resolution");
    }
    VideoAsk ask = new VideoAsk(prompt, duration, "duration", resolution, text(body, "ratio"), null,
        imageUrl(body));
    return new VideoSubmitter.Submission(model, ctx.queryParams().get("channel"), ask, null, extra(body));
  }

  /** {@code POST /v1/videos}: OpenAI's create, JSON or a form. */
  static VideoSubmitter.Submission job(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    JsonObject body;
    if (type != null && (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded"))) {
      body = new JsonObject();
      JsonObject fields = body;
      ctx.request().formAttributes().forEach(e -> fields.put(e.getKey(), e.getValue()));
      if (!ctx.fileUploads().isEmpty() || body.containsKey("input_reference")) {
        throw GatewayError.INVALID_VALUE.exception("'input_reference' uploads are not supported yet; send a "
            + "first frame as 'image_url'", "input_reference");
      }
    } else {
      body = ClientBodies.jsonObject(ctx.body().buffer());
    }
    String model = ClientBodies.requiredString(body, "model");
    String prompt = prompt(body, false);
    boolean openAiNames = body.containsKey("seconds") || !body.containsKey("duration");
    String field = openAiNames ? "seconds" : "duration";
    Integer seconds = seconds(body, field);
    String size = text(body, "size");
    VideoAsk ask = new VideoAsk(prompt, seconds, field, text(body, "resolution"), text(body, "ratio"), size,
        imageUrl(body));
    return new VideoSubmitter.Submission(model, ctx.queryParams().get("channel"), ask, null, extra(body));
  }

  private static String prompt(JsonObject body, boolean required) {
    Object value = body.getValue("prompt");
    if (value == null) {
      if (required || imageUrl(body) == null) {
        throw GatewayError.MISSING_FIELD.exception("'prompt' is required", "prompt");
      }
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw GatewayError.INVALID_VALUE.exception("'prompt' must be a non-empty string", "prompt");
    }
    // the job's row keeps the prompt: what Postgres cannot store is refused before anything is sent upstream
    JsonFields.checkStorableText(s, "prompt");
    if (s.length() > MAX_PROMPT_CHARS) {
      throw GatewayError.INVALID_VALUE.exception("'prompt' is longer than " + MAX_PROMPT_CHARS + " characters",
          "prompt");
    }
    return s;
  }

  /** Whole seconds, as a number or as the string OpenAI's schema uses ({@code "8"}); null when absent. */
  private static Integer seconds(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof String s && s.strip().matches("\\d{1,5}")) {
      return Integer.parseInt(s.strip());
    }
    if (value instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= 1
        && n.longValue() <= 100_000) {
      return n.intValue();
    }
    throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be a whole number of seconds", field);
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.isBlank() || s.length() > 64) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be a short non-empty string", field);
    }
    return s.strip();
  }

  private static String imageUrl(JsonObject body) {
    Object value = body.getValue("image_url") != null ? body.getValue("image_url") : body.getValue("img_url");
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || !(s.startsWith("https://") || s.startsWith("http://"))) {
      throw GatewayError.INVALID_VALUE.exception("'image_url' must be an http(s) URL", "image_url");
    }
    return s;
  }

  private static JsonObject extra(JsonObject body) {
    JsonObject extra = new JsonObject();
    body.forEach(e -> {
      if (!KNOWN.contains(e.getKey())) {
        extra.put(e.getKey(), e.getValue());
      }
    });
    return extra;
  }
}
