package gateway.billing;

import gateway.common.GatewayError;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** Reads a {@code billing.vouchers.grant} command; every malformed field is a 400 naming it. */
final class VoucherGrants {
  /** A billion credits: more is a typo, and sums of grants must stay far from overflowing. */
  static final long MAX_MICROS = 1_000_000_000L * 1_000_000L;
  private static final Set<String> SOURCES = Set.of("grant", "redemption", "signup");

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
    return new Vouchers.Grant(account.longValue(), ModelPatterns.parse(body.getValue("models"), "models"), amount.longValue(),
        ModelPatterns.instant(body.getValue("expires_at"), "expires_at"), source(body.getValue("source")), text(body, "note"),
        text(body, "idempotency_key"));
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
