package gateway.common.money;

import io.vertx.core.json.JsonObject;

/**
 * What a route's provider charges the operator: the same shapes as the model's price, token prices for
 * llm and embedding routes and per image / per second prices for image and video routes. A route without
 * one has an unknown upstream cost (its usage rows say null, counted as uncosted in the reports).
 */
public record RouteCost(Price tokens, MediaPrice media) {

  public RouteCost {
    tokens = tokens == null ? Price.FREE : tokens;
    media = media == null ? MediaPrice.NONE : media;
  }

  /** What {@code usage} cost upstream at the token prices. */
  public long tokenMicros(Usage usage) {
    return tokens.costMicros(usage);
  }

  /** What {@code count} images cost upstream; null when the cost names no price for the size. */
  public Long imageMicros(String size, String quality, int count) {
    Long unit = media.imageMicros(size, quality);
    return unit == null ? null : Math.multiplyExact(unit, (long) count);
  }

  /** What {@code seconds} of video cost upstream; null when the cost names no price for the resolution. */
  public Long videoMicros(String resolution, long seconds) {
    Long unit = media.secondMicros(resolution);
    return unit == null ? null : Math.multiplyExact(unit, seconds);
  }

  /** The bus and storage form: micro-credits. */
  public JsonObject toJson() {
    return new JsonObject().put("tokens", tokens.toJson()).put("media", media.toJson());
  }

  /** Null for null: a route without a cost. */
  public static RouteCost fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    return new RouteCost(Price.fromJson(json.getJsonObject("tokens")), MediaPrice.fromJson(json.getJsonObject("media")));
  }

  /** The catalog form, in credits, as the model's {@code price} is written for a model of this kind. */
  public JsonObject toCreditsJson(boolean media) {
    return media ? this.media.toCreditsJson() : tokens.toCreditsJson();
  }
}
