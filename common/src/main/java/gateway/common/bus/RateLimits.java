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

  /** Each field of this, or of {@code defaults} where this sets none. */
  public RateLimits orElse(RateLimits defaults) {
    return new RateLimits(
        rpm != null ? rpm : defaults.rpm,
        rph != null ? rph : defaults.rph,
        rpd != null ? rpd : defaults.rpd,
        tpm != null ? tpm : defaults.tpm,
        concurrency != null ? concurrency : defaults.concurrency);
  }

  /** Reads the configuration form {@code "rpm=60,tpm=100000,concurrency=10"}; blank means none. */
  public static RateLimits parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject();
    for (String part : spec.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2 || !java.util.Arrays.asList(FIELDS).contains(kv[0].trim())) {
        throw new IllegalArgumentException("limits are written 'rpm=60,tpm=100000,concurrency=10'; got '" + spec + "'");
      }
      try {
        json.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("limit '" + kv[0].trim() + "' must be a whole number in '" + spec + "'");
      }
    }
    return fromJson(json);
  }

  private static void putIfSet(JsonObject json, String field, Integer value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
