package gateway.common.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BillingRepliesTest {

  @Test
  @DisplayName("billing's replies cross the bus as micro-credits under their own names and read back equal")
  void repliesRoundTrip() {
    BalanceView balance = new BalanceView(7, -1_500, 2_000, 9_000, 10_000);
    assertThat(balance.toJson().fieldNames()).containsExactlyInAnyOrder("account_id", "balance_micros",
        "held_micros", "voucher_remaining_micros", "voucher_held_micros");
    assertThat(BalanceView.fromJson(roundTrip(balance.toJson()))).isEqualTo(balance);
    assertThat(balance.availableMicros()).isEqualTo(-3_500);
    assertThat(balance.voucherAvailableMicros()).isZero();

    SettleReply settled = new SettleReply(1_234_567, 42, true);
    assertThat(SettleReply.fromJson(roundTrip(settled.toJson()))).isEqualTo(settled);
    HoldReply hold = new HoldReply(Long.MAX_VALUE);
    assertThat(HoldReply.fromJson(roundTrip(hold.toJson()))).isEqualTo(hold);
    ReleaseReply released = new ReleaseReply(2_000_000);
    assertThat(ReleaseReply.fromJson(roundTrip(released.toJson()))).isEqualTo(released);
    TopUpReply topUp = new TopUpReply(12_345_678, false);
    assertThat(TopUpReply.fromJson(roundTrip(topUp.toJson()))).isEqualTo(topUp);
  }

  @Test
  @DisplayName("no billing reply names a field of the admin API's credits")
  void noCreditsFieldsOnTheBus() {
    for (JsonObject reply : new JsonObject[] {new BalanceView(1, 1, 1, 1, 1).toJson(),
        new TopUpReply(1, false).toJson(), new SettleReply(1, 1, false).toJson()}) {
      assertThat(reply.fieldNames()).noneMatch(name -> name.endsWith("_credits"));
    }
  }

  /** As a clustered bus carries it: encoded and decoded. */
  private static JsonObject roundTrip(JsonObject json) {
    return new JsonObject(json.encode());
  }
}
