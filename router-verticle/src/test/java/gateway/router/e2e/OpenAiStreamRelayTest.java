package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.bus.RequestOutcome;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.router.exchange.TokenCounter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OpenAI chat to an OpenAI-compatible channel, streamed: the chunks reach the client as the provider
 * wrote them (spacing, field order, escapes, fields the gateway does not know), named for the alias,
 * the null usage dropped for a client that did not ask for usage; the usage is still priced exactly,
 * and a chunk that cannot be relayed as it came is handled as it always was.
 */
@ExtendWith(VertxExtension.class)
class OpenAiStreamRelayTest {
  private static final String ALIAS = "gpt-relay";
  private static final String UPSTREAM = "gpt-up";
  private static final long START_MICROS = 10_000_000;
  private static final String HEAD = "{\"id\":\"chatcmpl-r1\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1750000000,\"model\":\"gpt-up\",";
  private static final String ROLE = HEAD + "\"system_fingerprint\":\"fp_r\",\"choices\":[{\"index\":0,"
      + "\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,"
      + "\"finish_reason\":null}],\"usage\":null}";
  /** Spacing, field order, escapes and fields the gateway does not know. */
  private static final String UNUSUAL = "{\"choices\" : [ {\"delta\": {\"content\": \"caf\\u00e9 \\ud83d\\ude00\"},"
      + " \"index\": 0, \"logprobs\": null, \"finish_reason\": null} ], \"model\" : \"gpt-up\","
      + " \"id\":\"chatcmpl-r1\", \"object\":\"chat.completion.chunk\", \"created\":1750000000, \"usage\":null,"
      + " \"x_provider_extra\": {\"latency_ms\": 12.50, \"route\": [\"a\", \"b\"]}, \"obfuscation\":\"Qx\"}";
  private static final String ESCAPED = HEAD + "\"choices\":[{\"index\":0,"
      + "\"delta\":{\"content\":\" is \\\"served\\\"\\n\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}";
  private static final String FINISH = HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
      + "\"finish_reason\":\"stop\"}],\"usage\":null}";
  private static final String USAGE = HEAD + "\"system_fingerprint\":\"fp_r\",\"choices\":[],"
      + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":10,\"total_tokens\":50,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":8},\"completion_tokens_details\":{\"reasoning_tokens\":2}}}";
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
    gateway.routedModel(ALIAS, "replay-openai", UPSTREAM, Upstream.PRICE);
    customer = gateway.customer("10", ALIAS);
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("every chunk arrives byte for byte but its model, the alias; the usage chunk carries the exact cost")
  void chunksArriveAsTheProviderWroteThem() {
    replay.answer("text/event-stream", transcript(ROLE, UNUSUAL, ESCAPED, FINISH, USAGE, "[DONE]"));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), request(true));

    assertThat(response.statusCode()).isEqualTo(200);
    List<String> data = RawHttp.dataLines(response.body());
    assertThat(data).hasSize(6);
    assertThat(data.subList(0, 4)).containsExactly(aliased(ROLE), aliased(UNUSUAL), aliased(ESCAPED), aliased(FINISH));
    JsonObject usage = new JsonObject(data.get(4)).getJsonObject("usage");
    assertThat(usage.getLong("prompt_tokens")).isEqualTo(40);
    assertThat(Math.round(usage.getDouble("cost") * 1_000_000)).isEqualTo(COST_MICROS);
    assertThat(new JsonObject(data.get(4)).getString("model")).isEqualTo(ALIAS);
    assertThat(data.get(5)).isEqualTo("[DONE]");
    JsonObject row = awaitRow(RequestOutcome.COMPLETED);
    assertThat(row.getLong("cost_micros")).isEqualTo(COST_MICROS);
    assertThat(row.getLong("cache_read_tokens")).isEqualTo(8);
    assertThat(replay.received().get(0).body().getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
  }

  @Test
  @DisplayName("a client that did not ask for usage gets the same bytes without the null usage, and no usage chunk")
  void withoutUsageTheNullUsageIsDropped() {
    replay.answer("text/event-stream", transcript(ROLE, UNUSUAL, ESCAPED, FINISH, USAGE, "[DONE]"));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), request(false));

    assertThat(RawHttp.dataLines(response.body())).containsExactly(withoutUsage(ROLE), withoutUsage(UNUSUAL),
        withoutUsage(ESCAPED), withoutUsage(FINISH), "[DONE]");
    assertThat(awaitRow(RequestOutcome.COMPLETED).getLong("cost_micros")).isEqualTo(COST_MICROS);
  }

  @Test
  @DisplayName("chunks not relayable as they came are parsed as before: a malformed one dropped, the rest re-encoded")
  void chunksNotRelayedAsTheyCame() {
    String kept = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"kept\"}}],\"model\":\"gpt-up\"}";
    String malformed = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lost\"}}],\"model\":\"gpt-up\"";
    // Two data lines, joined by a newline: written as they came they would break the client's framing.
    String twoLines = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" and parsed\"}}],"
        + "\ndata:  \"model\":\"gpt-up\"}";
    String repeatedName = "{\"model\":\"gpt-up\",\"model\":\"gpt-up-2\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"}}]}";
    replay.answer("text/event-stream",
        transcript(ROLE, kept, malformed, twoLines, repeatedName, FINISH, USAGE, "[DONE]"));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), request(true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).doesNotContain("lost").doesNotContain(UPSTREAM);
    List<String> data = RawHttp.dataLines(response.body());
    assertThat(data.subList(0, 5)).containsExactly(aliased(ROLE), aliased(kept),
        new JsonObject(twoLines.replace("\ndata: ", "\n")).put("model", ALIAS).encode(),
        new JsonObject(repeatedName).put("model", ALIAS).encode(), aliased(FINISH));
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    assertThat(awaitRow(RequestOutcome.COMPLETED).getLong("cost_micros")).isEqualTo(COST_MICROS);
  }

  @Test
  @DisplayName("a stream cut before its usage is charged the text delivered, unescaped, as counted from the chunks")
  void cutStreamCountsTheDeliveredText() {
    replay.answer("text/event-stream", transcript(ROLE, UNUSUAL, ESCAPED));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), request(true));

    List<String> data = RawHttp.dataLines(response.body());
    assertThat(data.subList(0, 3)).containsExactly(aliased(ROLE), aliased(UNUSUAL), aliased(ESCAPED));
    assertThat(new JsonObject(data.get(3)).getJsonObject("error").getString("type")).isEqualTo("upstream_error");
    JsonObject row = awaitRow(RequestOutcome.UPSTREAM_CUT);
    assertThat(row.getLong("output_tokens")).isEqualTo(TokenCounter.load().count("café 😀 is \"served\"\n"));
  }

  @Test
  @DisplayName("fields of the wrong type are read, never trusted: a chunk without a choices array or with a delta "
      + "that is no object is passed over, a usage that is no object is no usage (the delivered text is charged)")
  void hostileTypesAreReadNotTrusted() {
    String noChoices = "{\"choices\":null,\"model\":\"gpt-up\"}";
    String numberDelta = "{\"choices\":[{\"index\":0,\"delta\":5,\"finish_reason\":null}],\"model\":\"gpt-up\"}";
    String numberUsage = "{\"choices\":[],\"usage\":5,\"model\":\"gpt-up\"}";
    replay.answer("text/event-stream",
        transcript(ROLE, noChoices, numberDelta, ESCAPED, FINISH, numberUsage, "[DONE]"));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), request(false));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(RawHttp.dataLines(response.body())).contains(withoutUsage(ESCAPED)).endsWith("[DONE]")
        .noneMatch(line -> line.contains("error"));
    JsonObject row = awaitRow(RequestOutcome.COMPLETED);
    assertThat(row.getLong("output_tokens")).isEqualTo(TokenCounter.load().count(" is \"served\"\n"));
  }

  @Test
  @DisplayName("a stream event the provider's translator cannot read is the provider's fault: before any content a "
      + "502 in the client's error shape, free, and no Java in it")
  void anUnreadableEventBeforeContentIsA502() {
    gateway.channel("replay-anthropic", new JsonObject().put("type", "anthropic").put("base_url", replay.baseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY));
    gateway.routedModel("claude-relay", "replay-anthropic", "claude-up", Upstream.PRICE);
    Customer claude = gateway.customer("10", "claude-relay");
    replay.answer("text/event-stream", Buffer.buffer("event: message_start\ndata: {\"type\":\"message_start\","
        + "\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-up\","
        + "\"content\":[],\"usage\":\"lots\"}}\n\n"));

    HttpResponse<String> response = http.post("/chat/completions", claude.key(),
        request(true).replace(ALIAS, "claude-relay"));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("type")).isEqualTo("upstream_error");
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("java.");
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(claude.accountId()) == 1);
    JsonObject row = gateway.usageRows(claude.accountId()).getJsonObject(0);
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.FAILED.wire);
    assertThat(gateway.balanceMicros(claude.accountId())).isEqualTo(START_MICROS);
  }

  private static Buffer transcript(String... data) {
    StringBuilder sse = new StringBuilder();
    for (String d : data) {
      sse.append("data: ").append(d).append("\n\n");
    }
    return Buffer.buffer(sse.toString());
  }

  private static String aliased(String data) {
    return data.replace("\"" + UPSTREAM + "\"", "\"" + ALIAS + "\"");
  }

  private static String withoutUsage(String data) {
    return aliased(data).replace(", \"usage\":null", "").replace(",\"usage\":null", "");
  }

  private static String request(boolean includeUsage) {
    JsonObject body = new JsonObject().put("model", ALIAS).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Say it")));
    if (includeUsage) {
      body.put("stream_options", new JsonObject().put("include_usage", true));
    }
    return body.encode();
  }

  private JsonObject awaitRow(RequestOutcome outcome) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1);
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
    });
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("outcome")).isEqualTo(outcome.wire);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS - row.getLong("cost_micros"));
    return row;
  }
}
