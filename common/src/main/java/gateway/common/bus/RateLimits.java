package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * Request and token limits of a key, an account or a channel; null means no limit at
 * this level. Field names are those of the admin API and the catalog file.
 */
public record RateLimits(Integer rpm, Integer rph, Integer rpd, Integer tpm, Integer concurrency) {
  public static final RateLimits NONE = new RateLimits(null, null, null, null, null);
  public static final String[] FIELDS = {"rpm", "rph", "rpd", "tpm", "concurrency"};

  public RateLimits {
    for (Integer limit : new Integer[] {rpm, rph, rpd, tpm, concurrency}) {
      if (limit != null && limit < 0) {
        throw new IllegalArgumentException("limits cannot be negative");
      }
    }
  }

  public boolean isEmpty() {
    return rpm == null && rph == null && rpd == null && tpm == null && concurrency == null;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    putIfSet(json, "rpm", rpm);
    putIfSet(json, "rph", rph);
    putIfSet(json, "rpd", rpd);
    putIfSet(json, "tpm", tpm);
    putIfSet(json, "concurrency", concurrency);
    return json;
  }

  /** Reads the limit fields from any object that carries them (a key body, a channel). */
  public static RateLimits fromJson(JsonObject json) {
    if (json == null) {
      return NONE;
    }
    return new RateLimits(json.getInteger("rpm"), json.getInteger("rph"), json.getInteger("rpd"),
        json.getInteger("tpm"), json.getInteger("concurrency"));
  }

  private static void putIfSet(JsonObject json, String field, Integer value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
