package gateway.billing;

import gateway.common.GatewayError;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;

/** Reads a {@code billing.codes.create} command; every malformed field is a 400 naming it. */
final class CodeBatches {
  static final int MAX_CODES = 10_000;

  /** A batch to create, already checked. Voucher fields are null for a batch of plain credits. */
  record Batch(String name, int count, long creditsMicros, List<String> voucherModels, Integer voucherValidDays,
               OffsetDateTime codesExpireAt, int redemptionsPerCode, int redemptionsPerAccount) {
  }

  private CodeBatches() {
  }

  static Batch parse(JsonObject body) {
    if (!(body.getValue("name") instanceof String name) || name.isBlank() || name.length() > 200
        || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw GatewayError.INVALID_VALUE.exception("'name' must be a name of at most 200 characters", "name");
    }
    int count = whole(body, "count", null, MAX_CODES);
    if (!(body.getValue("amount_micros") instanceof Number amount) || amount.longValue() <= 0
        || amount.longValue() > VoucherGrants.MAX_MICROS) {
      throw GatewayError.INVALID_VALUE.exception("'amount_credits' must be more than 0 and at most 1,000,000,000",
          "amount_credits");
    }
    List<String> models = null;
    Integer validDays = null;
    if (body.getValue("voucher") != null) {
      if (!(body.getValue("voucher") instanceof JsonObject voucher)) {
        throw GatewayError.INVALID_VALUE.exception("'voucher' must be an object {models, valid_days?}", "voucher");
      }
      models = ModelPatterns.parse(voucher.getValue("models"), "voucher.models");
      validDays = voucher.getValue("valid_days") == null ? null : whole(voucher, "valid_days", null, 36_500);
    }
    return new Batch(name, count, amount.longValue(), models, validDays, ModelPatterns.instant(body.getValue("expires_at"), "expires_at"),
        whole(body, "redemptions_per_code", 1, 1_000_000), whole(body, "redemptions_per_account", 1, 1_000_000));
  }

  private static int whole(JsonObject body, String field, Integer fallback, int max) {
    Object value = body.getValue(field);
    if (value == null && fallback != null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 1 || n.longValue() > max) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be a whole number from 1 to " + max, field);
    }
    return n.intValue();
  }


}
