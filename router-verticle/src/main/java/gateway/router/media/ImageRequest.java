package gateway.router.media;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * An image generation or edit as the client asked it, in OpenAI's vocabulary. Null means "not given": the
 * upstream's default applies (the catalog's allow-lists are checked before a request gets here).
 *
 * @param model          the upstream model name (the route's)
 * @param prompt         required
 * @param n              how many images; null: 1
 * @param size           {@code WxH} or {@code auto}
 * @param quality        e.g. {@code low | medium | high | standard | hd | auto}
 * @param responseFormat {@code url} or {@code b64_json}
 * @param outputFormat   {@code png | jpeg | webp}
 * @param extra          every other field the client sent, passed on to OpenAI-compatible upstreams untouched
 * @param images         the images to edit (empty for a generation)
 * @param mask           the edit's mask, or null
 */
public record ImageRequest(String model, String prompt, Integer n, String size, String quality, String responseFormat,
                           String outputFormat, JsonObject extra, List<MediaInput> images, MediaInput mask) {

  public ImageRequest {
    Objects.requireNonNull(prompt, "prompt");
    extra = extra == null ? new JsonObject() : extra.copy();
    images = images == null ? List.of() : List.copyOf(images);
  }

  /** A generation (no input images). */
  public static ImageRequest generation(String model, String prompt, Integer n, String size, String quality,
                                        String responseFormat, String outputFormat, JsonObject extra) {
    return new ImageRequest(model, prompt, n, size, quality, responseFormat, outputFormat, extra, List.of(), null);
  }

  public boolean isEdit() {
    return !images.isEmpty();
  }

  /** The number of images asked for: {@code n}, or 1. */
  public int count() {
    return n == null ? 1 : n;
  }

  /** The same request for another upstream model name. */
  public ImageRequest withModel(String upstreamModel) {
    return new ImageRequest(upstreamModel, prompt, n, size, quality, responseFormat, outputFormat, extra, images, mask);
  }
}
