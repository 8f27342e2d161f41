package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.bus.RequestOutcome;
import gateway.common.money.Credits;
import gateway.router.e2e.GatewayUnderTest.Customer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OpenAI chat to an OpenAI-compatible channel, whole: the answer reaches the client as the provider wrote it
 * (line breaks, spacing, field order, escapes, fields the gateway does not know) but for its model, the alias,
 * and the cost in its usage; the usage is priced exactly; an answer that cannot go out as it came is parsed.
 */
@ExtendWith(VertxExtension.class)
class OpenAiAnswerRelayTest {
  private static final String ALIAS = "gpt-relay";
  private static final long START_MICROS = 10_000_000;
  private static final String LAST_USAGE_MEMBER = "\"completion_tokens_details\" :{\"reasoning_tokens\":2}";
  private static final String UNUSUAL = "{\n  \"choices\" : [ {\"message\": {\"role\":\"assistant\", \"content\": "
      + "\"caf\\u00e9 \\ud83d\\ude00 \\\"served\\\"\\n\"}, \"index\": 0, \"logprobs\": null, \"finish_reason\": \"stop\"} ],"
      + "\r\n  \"usage\": {\"prompt_tokens\" : 40, \"completion_tokens\":10, \"total_tokens\": 50,\n"
      + "    \"prompt_tokens_details\": {\"cached_tokens\": 8}, " + LAST_USAGE_MEMBER + "\n  },\n"
      + "  \"model\" : \"gpt-up\", \"id\":\"chatcmpl-a1\", \"object\":\"chat.completion\", \"created\":1750000000,\n"
      + "  \"x_provider_extra\": {\"latency_ms\": 12.50, \"route\": [\"a\", \"b\"]}\n}\n";
  /** 32 uncached × 15 + 8 cached × 7.5 + 10 out × 60 µcr. */
  private static final long COST_MICROS = 32 * 15 + 60 + 10 * 60;

  private GatewayUnderTest gateway;
  private ReplayUpstream replay;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    replay = ReplayUpstream.start(vertx);
    gateway.channel("replay-openai", new JsonObject().put("type", "openai").put("base_url", replay.baseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY));
    gateway.routedModel(ALIAS, "replay-openai", "gpt-up", Upstream.PRICE);
    customer = gateway.customer("10", ALIAS);
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("the answer arrives byte for byte but its model, the alias, and the exact cost in its usage")
  void theAnswerArrivesAsTheProviderWroteIt() {
    replay.answer("application/json", Buffer.buffer(UNUSUAL));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), request());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(UNUSUAL.replace("\"model\" : \"gpt-up\"", "\"model\" : \"" + ALIAS + "\"")
        .replace(LAST_USAGE_MEMBER, LAST_USAGE_MEMBER + ",\"cost\":0.00114"));
    assertThat(COST_MICROS).isEqualTo(1140);
    JsonObject row = awaitRow();
    assertThat(row.getLong("cost_micros")).isEqualTo(COST_MICROS);
    assertThat(row.getLong("cache_read_tokens")).isEqualTo(8);
    assertThat(row.getLong("output_tokens")).isEqualTo(10);
  }

  @Test
  @DisplayName("an answer that cannot go out as it came (a repeated name) is parsed and re-encoded as before")
  void anAnswerNotRelayedAsItCameIsParsed() {
    String repeated = UNUSUAL.replace("\"id\":\"chatcmpl-a1\"", "\"id\":\"chatcmpl-a1\", \"id\":\"chatcmpl-a2\"");
    replay.answer("application/json", Buffer.buffer(repeated));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), request());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject expected = new JsonObject(repeated).put("model", ALIAS);
    expected.getJsonObject("usage").put("cost", Credits.fromMicros(COST_MICROS).doubleValue());
    // Re-encoded: compact, the provider's spacing gone, the later of the repeated names kept (as the parser reads it).
    assertThat(response.body()).startsWith("{\"choices\":[{\"message\":").contains("\"id\":\"chatcmpl-a2\"");
    assertThat(new JsonObject(response.body())).isEqualTo(expected);
    assertThat(awaitRow().getLong("cost_micros")).isEqualTo(COST_MICROS);
  }

  private static String request() {
    return new JsonObject().put("model", ALIAS)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Say it"))).encode();
  }

  private JsonObject awaitRow() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1);
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
    });
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.COMPLETED.wire);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS - row.getLong("cost_micros"));
    return row;
  }
}
