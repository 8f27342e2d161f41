package gateway.router.media;

import io.vertx.core.json.JsonObject;

/**
 * A video job as the client asked it, in both vocabularies the gateway accepts: OpenAI's ({@code seconds},
 * {@code size}) and the reference's / DashScope's ({@code duration}, {@code resolution}, {@code ratio}). The
 * endpoint fills what its client sent; {@code seconds} is always set, since it is what is held and billed, and
 * it is sent upstream as is (no upstream default that could differ).
 *
 * @param model          the upstream model name (the route's)
 * @param prompt         required unless an image is given (image-to-video)
 * @param seconds        the duration asked, sent upstream and held
 * @param size           OpenAI's {@code WxH}, or null
 * @param resolution     DashScope's tier ({@code 480P | 720P | 1080P}), or null
 * @param ratio          e.g. {@code 16:9}, or null
 * @param imageUrl       a first frame by URL (DashScope {@code img_url}), or null
 * @param inputReference a first frame uploaded (OpenAI {@code input_reference}), or null
 * @param extra          other fields the client sent, passed on where the upstream's format has room for them
 */
public record VideoJobRequest(String model, String prompt, int seconds, String size, String resolution, String ratio,
                              String imageUrl, MediaInput inputReference, JsonObject extra) {

  public VideoJobRequest {
    if (seconds <= 0) {
      throw new IllegalArgumentException("seconds must be positive: " + seconds);
    }
    if (prompt == null && imageUrl == null && inputReference == null) {
      throw new IllegalArgumentException("a video job needs a prompt or an image");
    }
    extra = extra == null ? new JsonObject() : extra.copy();
  }

  public VideoJobRequest withModel(String upstreamModel) {
    return new VideoJobRequest(upstreamModel, prompt, seconds, size, resolution, ratio, imageUrl, inputReference, extra);
  }
}
