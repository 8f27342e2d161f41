package gateway.common.money;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What images and video seconds cost, in micro-credits. The catalog writes them in credits:
 * {@code per_image: {"1024x1024": 4, "1536x1024": 6}} (a size may name its price per quality:
 * {@code "1024x1024": {"standard": 4, "hd": 8}}) and {@code per_second: {"720P": 10, "1080P": 20}}.
 * An option without a price has none: the request for it is refused, never priced at 0.
 *
 * @param perImage  micro-credits per image, keyed by size, or by {@code size/quality}
 * @param perSecond micro-credits per second of video, keyed by resolution
 */
public record MediaPrice(Map<String, Long> perImage, Map<String, Long> perSecond) {
  public static final MediaPrice NONE = new MediaPrice(Map.of(), Map.of());

  public MediaPrice {
    perImage = Map.copyOf(perImage);
    perSecond = Map.copyOf(perSecond);
    for (long micros : perImage.values()) {
      requireNotNegative(micros);
    }
    for (long micros : perSecond.values()) {
      requireNotNegative(micros);
    }
  }

  /** The price of one image of this size and quality: the quality's own, else the size's; null when it has none. */
  public Long imageMicros(String size, String quality) {
    if (quality != null && perImage.containsKey(size + "/" + quality)) {
      return perImage.get(size + "/" + quality);
    }
    return perImage.get(size);
  }

  /** The price of one second of video at this resolution; null when it has none. */
  public Long secondMicros(String resolution) {
    return perSecond.get(resolution);
  }

  public boolean isEmpty() {
    return perImage.isEmpty() && perSecond.isEmpty();
  }

  /** The bus and storage form: micro-credits. */
  public JsonObject toJson() {
    return new JsonObject().put("per_image_micros", new JsonObject(new LinkedHashMap<>(perImage)))
        .put("per_second_micros", new JsonObject(new LinkedHashMap<>(perSecond)));
  }

  public static MediaPrice fromJson(JsonObject json) {
    if (json == null) {
      return NONE;
    }
    return new MediaPrice(longs(json.getJsonObject("per_image_micros")), longs(json.getJsonObject("per_second_micros")));
  }

  /** The public form, in credits, as the catalog file writes it. */
  public JsonObject toCreditsJson() {
    JsonObject json = new JsonObject();
    if (!perImage.isEmpty()) {
      JsonObject images = new JsonObject();
      perImage.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
        int slash = e.getKey().indexOf('/');
        if (slash < 0) {
          images.put(e.getKey(), Credits.fromMicros(e.getValue()));
        } else {
          String size = e.getKey().substring(0, slash);
          JsonObject qualities = images.getValue(size) instanceof JsonObject q ? q : new JsonObject();
          images.put(size, qualities.put(e.getKey().substring(slash + 1), Credits.fromMicros(e.getValue())));
        }
      });
      json.put("per_image", images);
    }
    if (!perSecond.isEmpty()) {
      JsonObject seconds = new JsonObject();
      perSecond.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> seconds.put(e.getKey(), Credits.fromMicros(e.getValue())));
      json.put("per_second", seconds);
    }
    return json;
  }

  /**
   * Reads the catalog form; {@link IllegalArgumentException} naming what is wrong.
   *
   * @param price the model's {@code price} object (its token prices are {@link Price}'s)
   */
  public static MediaPrice fromCreditsJson(JsonObject price) {
    if (price == null) {
      return NONE;
    }
    Map<String, Long> perImage = new LinkedHashMap<>();
    Object images = price.getValue("per_image");
    if (images != null) {
      if (!(images instanceof JsonObject bySize)) {
        throw new IllegalArgumentException("'per_image' must map sizes to credits per image");
      }
      bySize.forEach(size -> {
        if (size.getValue() instanceof JsonObject byQuality) {
          byQuality.forEach(q -> perImage.put(size.getKey() + "/" + q.getKey(), micros(q.getValue(), "per_image")));
        } else {
          perImage.put(size.getKey(), micros(size.getValue(), "per_image"));
        }
      });
    }
    Map<String, Long> perSecond = new LinkedHashMap<>();
    Object seconds = price.getValue("per_second");
    if (seconds != null) {
      if (!(seconds instanceof JsonObject byResolution)) {
        throw new IllegalArgumentException("'per_second' must map resolutions to credits per second");
      }
      byResolution.forEach(r -> perSecond.put(r.getKey(), micros(r.getValue(), "per_second")));
    }
    return new MediaPrice(perImage, perSecond);
  }

  private static long micros(Object credits, String field) {
    if (!(credits instanceof Number) && !(credits instanceof String)) {
      throw new IllegalArgumentException("'" + field + "' prices must be numbers of credits");
    }
    long micros = Credits.parseMicros(credits);
    requireNotNegative(micros);
    return micros;
  }

  private static Map<String, Long> longs(JsonObject json) {
    Map<String, Long> values = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(e -> values.put(e.getKey(), ((Number) e.getValue()).longValue()));
    }
    return values;
  }

  private static void requireNotNegative(long micros) {
    if (micros < 0) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
  }

}
