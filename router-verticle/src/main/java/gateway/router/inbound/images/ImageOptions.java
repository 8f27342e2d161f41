package gateway.router.inbound.images;

import gateway.common.GatewayError;
import gateway.common.bus.ResolvedModel;
import gateway.common.money.MediaPrice;
import gateway.router.exchange.ImageOrder;
import gateway.router.media.ImageRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Fits an image request to its model's allow-lists and prices it, before anything is held:
 *
 * <ul>
 *   <li>{@code size}: one of {@code available_sizes}, else of the sizes the model prices; absent, the first of
 *       them, sent upstream, so the size held and charged is the size drawn.</li>
 *   <li>{@code quality}: one of {@code available_qualities}, else of the qualities the model prices for the
 *       size (any, when it prices the size alone); absent where the price depends on it, the first of them.</li>
 *   <li>{@code n}: at most {@code max_n}, else {@link #DEFAULT_MAX_N} (OpenAI's own maximum).</li>
 * </ul>
 * A value outside them is a 400 in OpenAI's shape naming the field and listing what is allowed. An option
 * without a price is refused, never priced at 0 (a model with no image prices at all is free).
 */
final class ImageOptions {
  static final int DEFAULT_MAX_N = 10;

  private ImageOptions() {
  }

  static ImageOrder fit(ImageRequest request, ResolvedModel model) {
    MediaPrice price = model.mediaPrice();
    JsonObject options = model.options();
    int maxN = options.getValue("max_n") instanceof Number n ? n.intValue() : DEFAULT_MAX_N;
    if (request.count() > maxN) {
      throw GatewayError.INVALID_VALUE.exception("'n' must be from 1 to " + maxN + " for the model '"
          + model.alias() + "'", "n");
    }
    List<String> sizes = strings(options, "available_sizes", pricedSizes(price));
    String size = request.size();
    if (size == null) {
      size = sizes.isEmpty() ? null : sizes.get(0);
    } else if (!sizes.isEmpty() && !sizes.contains(size)) {
      throw notAllowed("size", size, sizes, model);
    }
    List<String> qualities = strings(options, "available_qualities", pricedQualities(price, size));
    String quality = request.quality();
    if (quality != null && !qualities.isEmpty() && !qualities.contains(quality)) {
      throw notAllowed("quality", quality, qualities, model);
    }
    if (price.perImage().isEmpty()) {
      return new ImageOrder(with(request, size, quality), 0);
    }
    if (quality == null && price.imageMicros(size, null) == null && !qualities.isEmpty()) {
      quality = qualities.get(0);
    }
    Long unit = size == null ? null : price.imageMicros(size, quality);
    if (unit == null) {
      // the catalog prices every allowed option; this is a request naming one it does not list
      throw GatewayError.INVALID_VALUE.exception("The model '" + model.alias() + "' has no price for size '" + size
          + "'" + (quality == null ? "" : " in quality '" + quality + "'") + "; allowed sizes: "
          + String.join(", ", sizes), "size");
    }
    return new ImageOrder(with(request, size, quality), unit);
  }

  private static gateway.common.GatewayException notAllowed(String field, String value, List<String> allowed,
                                                             ResolvedModel model) {
    return GatewayError.INVALID_VALUE.exception("'" + field + "' " + quote(value) + " is not available for the model '"
        + model.alias() + "'; allowed: " + String.join(", ", allowed), field);
  }

  private static String quote(String value) {
    return "'" + (value.length() > 64 ? value.substring(0, 64) + "…" : value) + "'";
  }

  /**
   * The request as sent upstream: {@code response_format} is the gateway's concern, not the upstream's (gpt-image
   * models refuse it; the gateway reads URLs and base64 alike and answers the client in the format it asked).
   */
  private static ImageRequest with(ImageRequest r, String size, String quality) {
    return new ImageRequest(r.model(), r.prompt(), r.n(), size, quality, null, r.outputFormat(),
        r.extra(), r.images(), r.mask());
  }

  private static List<String> pricedSizes(MediaPrice price) {
    Set<String> sizes = new LinkedHashSet<>();
    price.perImage().keySet().stream().sorted().forEach(key -> sizes.add(key.split("/", 2)[0]));
    return new ArrayList<>(sizes);
  }

  private static List<String> pricedQualities(MediaPrice price, String size) {
    List<String> qualities = new ArrayList<>();
    if (size == null) {
      return qualities;
    }
    price.perImage().keySet().stream().sorted().filter(key -> key.startsWith(size + "/"))
        .forEach(key -> qualities.add(key.substring(size.length() + 1)));
    return qualities;
  }

  private static List<String> strings(JsonObject options, String field, List<String> fallback) {
    if (!(options.getValue(field) instanceof JsonArray array)) {
      return fallback;
    }
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(String.valueOf(v)));
    return values;
  }
}
