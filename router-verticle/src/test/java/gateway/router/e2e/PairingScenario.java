package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.RecordedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * The gateway with all four kinds of channel on the fake upstream, one model each, a customer who
 * may call them all, and the tool-call round trip every inbound × upstream pairing is tested with:
 * the model asks for the weather, the client answers, the model replies. Usage is scripted so
 * that each provider reports it in its own way (cached tokens inside or beside the input count)
 * and the normalized charge is the same everywhere.
 */
final class PairingScenario {
  static final long START_MICROS = 10_000_000;
  static final String TOOL = "get_weather";
  static final JsonObject ARGUMENTS = new JsonObject().put("location", "Paris").put("unit", "c");
  static final String TOOL_OUTPUT = "18°C, sunny";
  static final String FIRST_TEXT = "Let me check.";
  static final String FINAL_TEXT = "It is 18°C in Paris.";

  /** First turn: 100 prompt tokens of which 40 cached, 20 output: 60 × 15 + 40 × 7.5 + 20 × 60 µcr. */
  static final long FIRST_COST = 2_400;
  /** Second turn: 80 prompt tokens, 10 output: 80 × 15 + 10 × 60 µcr. */
  static final long SECOND_COST = 1_800;
  static final BigDecimal FIRST_COST_CREDITS = new BigDecimal("0.0024");
  static final BigDecimal SECOND_COST_CREDITS = new BigDecimal("0.0018");

  final GatewayUnderTest gateway;
  final Upstream upstream;
  final Customer customer;

  PairingScenario(GatewayUnderTest gateway, Upstream upstream) {
    this.gateway = gateway;
    this.upstream = upstream;
    for (Upstream each : Upstream.values()) {
      each.install(gateway);
    }
    this.customer = gateway.customer("10", java.util.Arrays.stream(Upstream.values()).map(u -> u.alias)
        .toArray(String[]::new));
  }

  String alias() {
    return upstream.alias;
  }

  /** Scripts the two turns of the round trip on this scenario's upstream model. */
  void scriptToolRoundTrip() {
    gateway.fake.script(upstream.upstreamModel,
        Behavior.reply(FIRST_TEXT).withToolCall(TOOL, ARGUMENTS.encode()).usage(100, 20).cachedTokens(40),
        Behavior.reply(FINAL_TEXT).usage(80, 10));
  }

  /** A stream the provider cuts after two content deltas. */
  void scriptCutStream() {
    gateway.fake.script(upstream.upstreamModel, Behavior.reply("one two three four five six").usage(40, 6)
        .cutAfterChunks(2));
  }

  List<RecordedRequest> upstreamRequests() {
    return gateway.fake.requestsFor(upstream.upstreamModel);
  }

  /** The follow-up request reached the provider with the tool's output, answering the call the client saw. */
  void assertToolResultSent(String callIdSeenByClient) {
    List<RecordedRequest> requests = upstreamRequests();
    assertThat(requests).hasSize(2);
    Upstream.ToolResult result = upstream.toolResultSent(requests.get(1));
    assertThat(result.id()).isEqualTo(upstream.answersByName() ? TOOL : callIdSeenByClient);
    assertThat(result.content()).contains(TOOL_OUTPUT);
  }

  /** Both turns settled, each completed, the account charged their exact sum, no hold left. */
  void assertBothTurnsCharged() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(2);
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
    });
    JsonArray rows = gateway.usageRows(customer.accountId());
    assertThat(rows).allSatisfy(row -> {
      JsonObject r = (JsonObject) row;
      assertThat(r.getString("outcome")).isEqualTo("completed");
      assertThat(r.getString("channel")).isEqualTo(upstream.channel);
    });
    // The two settlements travel the bus apart, so the rows' order is not the turns' order.
    JsonObject first = row(rows, 40);
    assertThat(first.getLong("input_tokens")).isEqualTo(60);
    assertThat(first.getLong("output_tokens")).isEqualTo(20);
    assertThat(first.getLong("cost_micros")).isEqualTo(FIRST_COST);
    JsonObject second = row(rows, 0);
    assertThat(second.getLong("input_tokens")).isEqualTo(80);
    assertThat(second.getLong("output_tokens")).isEqualTo(10);
    assertThat(second.getLong("cost_micros")).isEqualTo(SECOND_COST);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS - FIRST_COST - SECOND_COST);
  }

  private static JsonObject row(JsonArray rows, long cacheReadTokens) {
    return rows.stream().map(JsonObject.class::cast).filter(r -> r.getLong("cache_read_tokens") == cacheReadTokens)
        .findFirst().orElseThrow(() -> new AssertionError("no usage row with " + cacheReadTokens + " cached tokens: "
            + rows.encode()));
  }

  /** A stream cut after content: settled once as upstream_cut, charged what was delivered, nothing held. */
  void assertCutCharged() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1);
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
    });
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("outcome")).isEqualTo("upstream_cut");
    assertThat(row.getLong("output_tokens")).isPositive();
    assertThat(row.getLong("cost_micros")).isPositive();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS - row.getLong("cost_micros"));
  }
}
