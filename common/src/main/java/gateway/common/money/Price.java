package gateway.common.money;

import io.vertx.core.json.JsonObject;

/**
 * A model's token prices in micro-credits per million tokens. The catalog writes them in
 * credits per million tokens ({@code input_per_mtok: 15} = 15 µcr a token).
 *
 * <p>A request's cost is the exact sum over its token kinds, rounded up to the next
 * micro-credit once per request. Cache reads and writes default to the input price when
 * the catalog names none.
 */
public record Price(long inputPerMtok, long outputPerMtok, long cacheReadPerMtok, long cacheWritePerMtok) {
  public static final Price FREE = new Price(0, 0, 0, 0);
  private static final long MTOK = 1_000_000L;

  public Price {
    if (inputPerMtok < 0 || outputPerMtok < 0 || cacheReadPerMtok < 0 || cacheWritePerMtok < 0) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
  }

  public long costMicros(Usage usage) {
    long whole = 0;
    long fraction = 0; // in millionths of a micro-credit
    long[][] parts = {
        {usage.inputTokens(), inputPerMtok},
        {usage.cacheReadTokens(), cacheReadPerMtok},
        {usage.cacheWriteTokens(), cacheWritePerMtok},
        {usage.outputTokens(), outputPerMtok},
    };
    for (long[] part : parts) {
      long tokens = part[0];
      long price = part[1];
      whole = Math.addExact(whole, Math.multiplyExact(tokens, price / MTOK));
      fraction = Math.addExact(fraction, Math.multiplyExact(tokens, price % MTOK));
    }
    return Math.addExact(whole, Math.addExact(fraction / MTOK, fraction % MTOK == 0 ? 0 : 1));
  }

  /**
   * The most a request of at most {@code promptTokens} prompt and {@code outputTokens} output
   * tokens can cost: every prompt token at the highest price a prompt token may be charged
   * (uncached input, cache read or cache write), every output token at the output price.
   *
   * @throws ArithmeticException when the bound does not fit a long
   */
  public long holdMicros(long promptTokens, long outputTokens) {
    long promptPrice = Math.max(inputPerMtok, Math.max(cacheReadPerMtok, cacheWritePerMtok));
    return new Price(promptPrice, outputPerMtok, promptPrice, promptPrice)
        .costMicros(new Usage(promptTokens, 0, 0, outputTokens, 0));
  }

  /** The bus and storage form: micro-credits per million tokens. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("input_micros_per_mtok", inputPerMtok)
        .put("output_micros_per_mtok", outputPerMtok)
        .put("cache_read_micros_per_mtok", cacheReadPerMtok)
        .put("cache_write_micros_per_mtok", cacheWritePerMtok);
  }

  public static Price fromJson(JsonObject json) {
    if (json == null) {
      return FREE;
    }
    return new Price(
        json.getLong("input_micros_per_mtok", 0L),
        json.getLong("output_micros_per_mtok", 0L),
        json.getLong("cache_read_micros_per_mtok", 0L),
        json.getLong("cache_write_micros_per_mtok", 0L));
  }

  /** The public form, in credits per million tokens, as the catalog file writes it. */
  public JsonObject toCreditsJson() {
    return new JsonObject()
        .put("input_per_mtok", Credits.fromMicros(inputPerMtok))
        .put("output_per_mtok", Credits.fromMicros(outputPerMtok))
        .put("cache_read_per_mtok", Credits.fromMicros(cacheReadPerMtok))
        .put("cache_write_per_mtok", Credits.fromMicros(cacheWritePerMtok));
  }

  /** Reads the catalog form (credits per million tokens); missing cache prices take the input price. */
  public static Price fromCreditsJson(JsonObject json) {
    if (json == null) {
      return FREE;
    }
    long input = micros(json, "input_per_mtok", 0);
    return new Price(
        input,
        micros(json, "output_per_mtok", 0),
        micros(json, "cache_read_per_mtok", input),
        micros(json, "cache_write_per_mtok", input));
  }

  private static long micros(JsonObject json, String field, long fallback) {
    Object value = json.getValue(field);
    return value == null ? fallback : Credits.parseMicros(value);
  }
}
