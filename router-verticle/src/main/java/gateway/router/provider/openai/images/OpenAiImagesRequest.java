package gateway.router.provider.openai.images;

import gateway.common.bus.Route;
import gateway.router.media.ImageRequest;
import gateway.router.media.MediaCall;
import gateway.router.media.MediaInput;
import gateway.router.media.MultipartBody;
import gateway.router.provider.ChannelHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Builds OpenAI Images calls: {@code POST {base_url}/images/generations} with a JSON body, and
 * {@code POST {base_url}/images/edits} as {@code multipart/form-data} ({@code image} — {@code image[]} when there
 * are several, as the API takes them — optional {@code mask}, and every other field as a form field). The model
 * is the route's; {@code prompt, n, size, quality, response_format, output_format} are sent when given, unknown
 * fields untouched (a form carries objects and arrays as their JSON text).
 */
public final class OpenAiImagesRequest {

  private OpenAiImagesRequest() {
  }

  public static MediaCall generation(ImageRequest request, Route route) {
    JsonObject body = fields(request, route);
    MultiMap headers = ChannelHeaders.of(route.channel(), false);
    return MediaCall.post(base(route) + "/images/generations", headers, body.toBuffer());
  }

  public static MediaCall edit(ImageRequest request, Route route) {
    if (!request.isEdit()) {
      throw new IllegalArgumentException("an image edit needs at least one image");
    }
    MultipartBody form = new MultipartBody();
    fields(request, route).forEach(field -> form.field(field.getKey(), formValue(field.getValue())));
    String imageField = request.images().size() == 1 ? "image" : "image[]";
    for (MediaInput image : request.images()) {
      form.file(imageField, image);
    }
    if (request.mask() != null) {
      form.file("mask", request.mask());
    }
    MultiMap headers = ChannelHeaders.of(route.channel(), false).set("content-type", form.contentType());
    return MediaCall.post(base(route) + "/images/edits", headers, form.build());
  }

  /** The request's fields as OpenAI names them; the extras first, so a named field always wins. */
  static JsonObject fields(ImageRequest request, Route route) {
    JsonObject body = request.extra().copy();
    body.put("model", route.upstreamModel() != null ? route.upstreamModel() : request.model());
    body.put("prompt", request.prompt());
    putIfSet(body, "n", request.n());
    putIfSet(body, "size", request.size());
    putIfSet(body, "quality", request.quality());
    putIfSet(body, "response_format", request.responseFormat());
    putIfSet(body, "output_format", request.outputFormat());
    return body;
  }

  private static void putIfSet(JsonObject body, String field, Object value) {
    if (value != null) {
      body.put(field, value);
    } else {
      body.remove(field);
    }
  }

  private static String formValue(Object value) {
    if (value instanceof JsonObject || value instanceof JsonArray) {
      return value.toString();
    }
    return String.valueOf(value);
  }

  private static String base(Route route) {
    String base = route.channel().baseUrl();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
