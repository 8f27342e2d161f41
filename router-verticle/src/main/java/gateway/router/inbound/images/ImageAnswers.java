package gateway.router.inbound.images;

import gateway.common.bus.ResolvedModel;
import gateway.common.money.Credits;
import gateway.media.storage.MediaStore;
import gateway.media.storage.StoredObject;
import gateway.router.exchange.ImageOrder;
import gateway.router.exchange.ImageProtocol;
import gateway.router.exchange.Priced;
import gateway.router.media.DrawnImage;
import gateway.router.media.ImageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's {@code ImagesResponse} for one call: every image stored first under a new unguessable id, and each
 * {@code data[]} item carrying the gateway's own stable {@code url} (never the upstream's, which expires), plus
 * {@code b64_json} when the client asked for it; {@code revised_prompt} when the upstream gave one; the
 * {@code size} and {@code quality} drawn; {@code usage} with the upstream's tokens when it reported them and the
 * {@code cost} in credits.
 */
final class ImageAnswers implements ImageProtocol {
  private final MediaStore store;
  private final String origin;
  private final ImageRequest asked;

  /**
   * @param origin the gateway's absolute origin ({@code https://host}) in front of the store's relative URLs
   */
  ImageAnswers(MediaStore store, String origin, ImageRequest asked) {
    this.store = store;
    this.origin = origin;
    this.asked = asked;
  }

  @Override
  public ImageOrder order(ResolvedModel model) {
    return ImageOptions.fit(asked, model);
  }

  @Override
  public Future<JsonObject> answer(ImageOrder order, List<DrawnImage> images, Priced priced) {
    List<Future<StoredObject>> stored = new ArrayList<>();
    for (DrawnImage image : images) {
      stored.add(store.put(image.bytes(), image.contentType()));
    }
    return Future.all(stored).map(all -> {
      boolean inline = "b64_json".equals(asked.responseFormat());
      JsonArray data = new JsonArray();
      for (int i = 0; i < images.size(); i++) {
        StoredObject object = all.resultAt(i);
        JsonObject item = new JsonObject().put("url", absolute(store.publicUrl(object.id())));
        if (inline) {
          item.put("b64_json", Base64.getEncoder().encodeToString(images.get(i).bytes().getBytes()));
        }
        if (images.get(i).revisedPrompt() != null) {
          item.put("revised_prompt", images.get(i).revisedPrompt());
        }
        data.add(item);
      }
      JsonObject answer = new JsonObject().put("created", Instant.now().getEpochSecond()).put("data", data);
      if (order.request().outputFormat() != null) {
        answer.put("output_format", order.request().outputFormat());
      }
      if (order.request().size() != null) {
        answer.put("size", order.request().size());
      }
      if (order.request().quality() != null) {
        answer.put("quality", order.request().quality());
      }
      long in = priced.usage().inputTokens();
      long out = priced.usage().outputTokens();
      return answer.put("usage", new JsonObject().put("input_tokens", in).put("output_tokens", out)
          .put("total_tokens", in + out).put("images", images.size())
          .put("cost", Credits.fromMicros(priced.costMicros())));
    });
  }

  private String absolute(String url) {
    return url.startsWith("http://") || url.startsWith("https://") ? url : origin + url;
  }
}
