package gateway.billing;

import gateway.common.GatewayError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads a {@code billing.vouchers.grant} command; every malformed field is a 400 naming it. */
final class VoucherGrants {
  /** A billion credits: more is a typo, and sums of grants must stay far from overflowing. */
  static final long MAX_MICROS = 1_000_000_000L * 1_000_000L;
  private static final Set<String> SOURCES = Set.of("grant", "redemption", "signup");
  private static final int MAX_PATTERNS = 100;

  private VoucherGrants() {
  }

  static Vouchers.Grant parse(JsonObject body) {
    if (!(body.getValue("account_id") instanceof Number account) || account.longValue() <= 0) {
      throw GatewayError.MISSING_FIELD.exception("'account_id' is required", "account_id");
    }
    if (!(body.getValue("amount_micros") instanceof Number amount) || amount.longValue() <= 0
        || amount.longValue() > MAX_MICROS) {
      throw GatewayError.INVALID_VALUE.exception("'amount_credits' must be more than 0 and at most 1,000,000,000",
          "amount_credits");
    }
    return new Vouchers.Grant(account.longValue(), models(body.getValue("models")), amount.longValue(),
        expiry(body.getValue("expires_at")), source(body.getValue("source")), text(body, "note"),
        text(body, "idempotency_key"));
  }

  private static List<String> models(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_PATTERNS) {
      throw GatewayError.INVALID_VALUE.exception("'models' must be a non-empty array of model aliases or patterns "
          + "('*' matches any characters)", "models");
    }
    List<String> models = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String pattern) || pattern.isBlank() || pattern.length() > 200
          || pattern.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw GatewayError.INVALID_VALUE.exception("every entry of 'models' must be a model alias or pattern",
            "models");
      }
      models.add(pattern);
    }
    return List.copyOf(models);
  }

  private static OffsetDateTime expiry(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse((String) value);
    } catch (ClassCastException | DateTimeParseException e) {
      throw GatewayError.INVALID_VALUE.exception("'expires_at' must be an ISO-8601 timestamp with an offset, e.g. "
          + "2027-01-31T23:59:59Z", "expires_at");
    }
  }

  private static String source(Object value) {
    if (value == null) {
      return "grant";
    }
    if (!(value instanceof String s) || !SOURCES.contains(s)) {
      throw GatewayError.INVALID_VALUE.exception("'source' must be one of " + SOURCES, "source");
    }
    return s;
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.length() > 500 || s.indexOf('\0') >= 0) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be a string of at most 500 characters", field);
    }
    return s;
  }
}
