package gateway.billing;

import gateway.common.GatewayError;
import gateway.common.money.Credits;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Batches of redemption codes: created with their codes shown once (only hashes are kept), reported
 * per batch (how many were redeemed, by which accounts), disabled; and redeemed exactly once per
 * unit of a code's allowance, each redemption one ledger movement ({@code billing.redeem}).
 */
final class RedemptionCodes {
  private final Pool pool;

  RedemptionCodes(Pool pool) {
    this.pool = pool;
  }

  /** Creates the batch and its codes in one transaction; the reply is the only place the codes ever appear. */
  Future<JsonObject> createBatch(CodeBatches.Batch batch) {
    List<String> codes = new ArrayList<>(batch.count());
    Set<String> unique = new HashSet<>();
    while (codes.size() < batch.count()) {
      String code = CodeText.generate();
      if (unique.add(code)) {
        codes.add(code);
      }
    }
    Buffer[] hashes = codes.stream().map(c -> CodeText.sha256(CodeText.normalise(c))).toArray(Buffer[]::new);
    String[] hints = codes.stream().map(c -> CodeText.hint(CodeText.normalise(c))).toArray(String[]::new);
    String[] voucherModels = batch.voucherModels() == null ? null : batch.voucherModels().toArray(String[]::new);
    String[] voucherPatterns = batch.voucherModels() == null ? null
        : batch.voucherModels().stream().map(ModelPatterns::like).toArray(String[]::new);
    Tuple header = Tuple.of(batch.name(), batch.creditsMicros(), voucherModels, voucherPatterns,
            batch.voucherValidDays(), batch.codesExpireAt(), batch.redemptionsPerCode())
        .addInteger(batch.redemptionsPerAccount()).addInteger(batch.count());
    return pool.withTransaction(tx -> tx.preparedQuery(BillingSql.CREATE_CODE_BATCH).execute(header)
            .compose(rows -> {
              long id = rows.iterator().next().getLong("id");
              return tx.preparedQuery(BillingSql.INSERT_CODES)
                  .execute(Tuple.of(id, hashes, hints, batch.redemptionsPerCode())).map(id);
            }))
        .compose(this::batch)
        .map(created -> created.put("codes", new JsonArray(new ArrayList<>(codes))));
  }

  Future<JsonObject> listBatches() {
    return pool.preparedQuery(BillingSql.LIST_CODE_BATCHES).execute().map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(row -> data.add(batchView(row)));
      return new JsonObject().put("data", data);
    });
  }

  /** The batch and who redeemed what. */
  Future<JsonObject> batch(long id) {
    return pool.preparedQuery(BillingSql.SELECT_CODE_BATCH).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(GatewayError.NOT_FOUND.exception("no code batch " + id));
      }
      JsonObject batch = batchView(rows.iterator().next());
      return pool.preparedQuery(BillingSql.BATCH_REDEMPTIONS).execute(Tuple.of(id)).map(redemptions -> {
        JsonArray data = new JsonArray();
        redemptions.forEach(row -> data.add(redemptionView(row)));
        return batch.put("redemptions", data);
      });
    });
  }

  Future<JsonObject> disable(long id) {
    return pool.preparedQuery(BillingSql.DISABLE_CODE_BATCH).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(GatewayError.NOT_FOUND.exception("no code batch " + id))
        : batch(id));
  }

  Future<JsonObject> redemptions(long accountId) {
    return pool.preparedQuery(BillingSql.ACCOUNT_REDEMPTIONS).execute(Tuple.of(accountId)).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(row -> data.add(redemptionView(row).put("batch_name", row.getString("batch_name"))));
      return new JsonObject().put("data", data);
    });
  }

  /** Redeems a code as typed by a customer; every refusal is a 400 on {@code code} saying why. */
  Future<JsonObject> redeem(long accountId, String typed) {
    String code = CodeText.normalise(typed);
    if (code == null) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("This is not a redemption code: codes are "
          + "20 letters and digits, e.g. 7QK2M-9XH4T-R3VWA-8PZ6D.", "code"));
    }
    return pool.preparedQuery(BillingSql.REDEEM).execute(Tuple.of(CodeText.sha256(code), accountId)).compose(rows -> {
      Row row = rows.iterator().next();
      String outcome = row.getString("outcome");
      if (!"redeemed".equals(outcome)) {
        return Future.failedFuture(GatewayError.INVALID_VALUE.exception(refusal(outcome), "code"));
      }
      long amount = row.getLong("amount_micros");
      return Future.succeededFuture(new JsonObject()
          .put("redemption_id", row.getLong("redemption_id"))
          .put("account_id", accountId)
          .put("amount_micros", amount)
          .put("amount_credits", Credits.fromMicros(amount))
          .put("kind", row.getLong("voucher_id") == null ? "credits" : "voucher")
          .put("voucher_id", row.getLong("voucher_id"))
          .put("batch_name", row.getString("batch_name")));
    });
  }

  private static String refusal(String outcome) {
    return switch (outcome) {
      case "used" -> "This code has already been redeemed.";
      case "expired" -> "This code has expired.";
      case "disabled" -> "This code is no longer valid.";
      case "account_limit" -> "This account has already redeemed as many codes of this kind as it may.";
      default -> "This code does not exist.";
    };
  }

  private static JsonObject batchView(Row row) {
    String[] models = row.getArrayOfStrings("voucher_models");
    OffsetDateTime expires = row.getOffsetDateTime("codes_expire_at");
    OffsetDateTime disabled = row.getOffsetDateTime("disabled_at");
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("name", row.getString("name"))
        .put("credits_micros", row.getLong("credits_micros"))
        .put("amount_credits", Credits.fromMicros(row.getLong("credits_micros")))
        .put("kind", models == null ? "credits" : "voucher")
        .put("voucher", models == null ? null : new JsonObject().put("models", new JsonArray(List.of(models)))
            .put("valid_days", row.getInteger("voucher_valid_days")))
        .put("codes_expire_at", expires == null ? null : expires.toInstant().toString())
        .put("redemptions_per_code", row.getInteger("redemptions_per_code"))
        .put("redemptions_per_account", row.getInteger("redemptions_per_account"))
        .put("code_count", row.getInteger("code_count"))
        .put("redeemed", row.getLong("redeemed"))
        .put("accounts", row.getLong("accounts"))
        .put("disabled", disabled != null)
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString());
  }

  private static JsonObject redemptionView(Row row) {
    long amount = row.getLong("amount_micros");
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("account_id", row.getLong("account_id"))
        .put("code_hint", row.getString("hint"))
        .put("amount_micros", amount)
        .put("amount_credits", Credits.fromMicros(amount))
        .put("voucher_id", row.getLong("voucher_id"))
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString());
  }
}
