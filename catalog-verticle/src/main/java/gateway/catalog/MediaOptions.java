package gateway.catalog;

import gateway.catalog.ChannelDefinition.Fields;
import gateway.common.GatewayError;
import gateway.common.money.MediaPrice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The allow-lists and prices of image and video models. Every option a model allows has a price,
 * checked when the model is written, so that no request can ever be priced at nothing: an image
 * model's {@code available_sizes} (× {@code available_qualities} when it prices qualities apart)
 * must each have a {@code per_image} price, a video model's {@code available_resolutions} each a
 * {@code per_second} one. Without an allow-list, what is priced is what is allowed.
 */
final class MediaOptions {
  static final String IMAGE = "text2image";
  static final String VIDEO = "text2video";
  private static final Map<String, String> STRING_LISTS = Map.of(
      "available_sizes", "sizes such as \"1024x1024\"",
      "available_qualities", "qualities such as \"standard\" or \"hd\"",
      "available_resolutions", "resolutions such as \"720P\"",
      "available_ratios", "ratios such as \"16:9\"");

  private MediaOptions() {
  }

  static boolean isMedia(String type) {
    return IMAGE.equals(type) || VIDEO.equals(type);
  }

  /** The model's media price, its allow-lists checked; a 400 naming the field otherwise. */
  static MediaPrice price(Fields f, String type, JsonObject json, JsonObject extra) {
    checkLists(f, extra);
    boolean free = f.optionalBoolean("free", false);
    Object value = json.getValue("price");
    String field = IMAGE.equals(type) ? "per_image" : "per_second";
    if (value == null && free) {
      return MediaPrice.NONE;
    }
    if (!(value instanceof JsonObject prices) || prices.getValue(field) == null) {
      throw GatewayError.MISSING_FIELD.exception(f.what() + ": 'price." + field + "' is required (credits per "
          + (IMAGE.equals(type) ? "image by size" : "second by resolution") + "); a model that costs nothing says "
          + "'free: true'", "price");
    }
    MediaPrice price;
    try {
      price = MediaPrice.fromCreditsJson(prices);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw f.invalid("price", e.getMessage());
    }
    if (IMAGE.equals(type)) {
      for (String size : strings(extra, "available_sizes", List.copyOf(price.perImage().keySet()))) {
        List<String> qualities = strings(extra, "available_qualities", List.of());
        if (qualities.isEmpty() ? price.imageMicros(size, null) == null
            : qualities.stream().anyMatch(q -> price.imageMicros(size, q) == null)) {
          throw f.invalid("price", "has no per_image price for the allowed size '" + size + "'"
              + (qualities.isEmpty() ? "" : " in every allowed quality"));
        }
      }
    } else {
      for (String resolution : strings(extra, "available_resolutions", List.copyOf(price.perSecond().keySet()))) {
        if (price.secondMicros(resolution) == null) {
          throw f.invalid("price", "has no per_second price for the allowed resolution '" + resolution + "'");
        }
      }
    }
    return price;
  }

  private static void checkLists(Fields f, JsonObject extra) {
    STRING_LISTS.forEach((field, what) -> {
      Object value = extra.getValue(field);
      if (value != null && !(value instanceof JsonArray array && !array.isEmpty()
          && array.stream().allMatch(item -> item instanceof String s && !s.isBlank()))) {
        throw f.invalid(field, "must be a non-empty list of " + what);
      }
    });
    Object durations = extra.getValue("available_durations");
    if (durations != null && !(durations instanceof JsonArray array && !array.isEmpty()
        && array.stream().allMatch(d -> d instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() > 0
        && n.longValue() <= 3_600))) {
      throw f.invalid("available_durations", "must be a non-empty list of whole seconds (1 to 3600)");
    }
    Object maxN = extra.getValue("max_n");
    if (maxN != null && !(maxN instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= 1
        && n.longValue() <= 128)) {
      throw f.invalid("max_n", "must be a whole number from 1 to 128");
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(JsonObject extra, String field, List<String> fallback) {
    return extra.getValue(field) instanceof JsonArray array ? (List<String>) (List<?>) array.getList() : fallback;
  }
}
