package gateway.auth;

import gateway.common.GatewayError;
import gateway.common.bus.RateLimits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Reads and checks the fields of admin commands, failing with 400 and the field's name. */
final class Requests {
  private Requests() {
  }

  static String requiredString(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw GatewayError.MISSING_FIELD.exception("'" + field + "' is required", field);
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be a non-empty string", field);
    }
    return s;
  }

  static long requiredLong(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw GatewayError.MISSING_FIELD.exception("'" + field + "' is required", field);
    }
    if (!(value instanceof Number n)) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be a number", field);
    }
    return n.longValue();
  }

  /** A non-empty list of model aliases; {@code "*"} means every model. */
  static List<String> models(JsonObject body) {
    Object value = body.getValue("models");
    if (value == null) {
      throw GatewayError.MISSING_FIELD.exception("'models' is required: a list of model aliases, or [\"*\"]", "models");
    }
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw GatewayError.INVALID_VALUE.exception("'models' must be a non-empty list of model aliases", "models");
    }
    List<String> models = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s) || s.isBlank()) {
        throw GatewayError.INVALID_VALUE.exception("'models' must hold model alias strings", "models");
      }
      models.add(s);
    }
    return models;
  }

  /** {@code expires_at} as an ISO-8601 timestamp or epoch seconds; null when absent or null. */
  static OffsetDateTime expiresAt(JsonObject body) {
    Object value = body.getValue("expires_at");
    if (value == null) {
      return null;
    }
    try {
      if (value instanceof Number n) {
        return Instant.ofEpochSecond(n.longValue()).atOffset(ZoneOffset.UTC);
      }
      if (value instanceof String s) {
        return OffsetDateTime.parse(s);
      }
    } catch (java.time.DateTimeException e) {
      // falls through to the error below
    }
    throw GatewayError.INVALID_VALUE.exception(
        "'expires_at' must be an ISO-8601 timestamp such as 2027-01-31T00:00:00Z", "expires_at");
  }

  /** {@code voucher_ids}: the vouchers a key may spend (and nothing else); null when absent or null. */
  static Long[] voucherIds(JsonObject body) {
    Object value = body.getValue("voucher_ids");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > 100) {
      throw GatewayError.INVALID_VALUE.exception("'voucher_ids' must be a non-empty list of voucher ids, or null",
          "voucher_ids");
    }
    Long[] ids = new Long[array.size()];
    for (int i = 0; i < ids.length; i++) {
      if (!(array.getValue(i) instanceof Number n) || n.longValue() <= 0 || n.doubleValue() != n.longValue()) {
        throw GatewayError.INVALID_VALUE.exception("'voucher_ids' must hold voucher ids", "voucher_ids");
      }
      ids[i] = n.longValue();
    }
    return ids;
  }

  static boolean optionalBoolean(JsonObject body, String field, boolean fallback) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be true or false", field);
    }
    return b;
  }

  static RateLimits limits(JsonObject body) {
    return RateLimits.fromJson(mergeLimits(new JsonObject(), body));
  }

  /** Applies the limit fields present in {@code body} to {@code current}; null removes a limit. */
  static JsonObject mergeLimits(JsonObject current, JsonObject body) {
    JsonObject merged = current == null ? new JsonObject() : current.copy();
    for (String field : RateLimits.FIELDS) {
      if (!body.containsKey(field)) {
        continue;
      }
      Object value = body.getValue(field);
      if (value == null) {
        merged.remove(field);
      } else if (value instanceof Number n && n.longValue() >= 0 && n.longValue() <= Integer.MAX_VALUE
          && n.doubleValue() == n.longValue()) {
        merged.put(field, n.intValue());
      } else {
        throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be a whole number ≥ 0, or null", field);
      }
    }
    return merged;
  }
}
