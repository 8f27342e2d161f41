package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.RecordedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Provider features that would bill the operator beyond the tokens the gateway prices: refused
 * with a 400 naming the field (nothing sent upstream, nothing charged) unless the channel's
 * {@code allow} setting lists them, and then sent as the client wrote them.
 */
@ExtendWith(VertxExtension.class)
class ProviderFeaturesTest {
  private static final Upstream[] ALL = Upstream.values();

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    for (Upstream upstream : ALL) {
      upstream.install(gateway);
    }
    customer = gateway.customer("10", "*");
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("anthropic-beta: only the betas the channel allows go upstream; none unless it lists some")
  void anthropicBetasAreAllowListed() {
    String body = messages(Upstream.ANTHROPIC).encode();
    Map<String, String> headers = Map.of("x-api-key", customer.key(),
        "anthropic-beta", "interleaved-thinking-2025-05-14, context-1m-2025-08-07");

    assertThat(http.post("/messages", null, body, headers).statusCode()).isEqualTo(200);
    allow(Upstream.ANTHROPIC, new JsonObject().put("anthropic_beta", new JsonArray().add("interleaved-thinking-2025-05-14")));
    assertThat(http.post("/messages", null, body, headers).statusCode()).isEqualTo(200);

    List<RecordedRequest> sent = sent(Upstream.ANTHROPIC);
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).header("anthropic-beta")).isNull();
    assertThat(sent.get(1).header("anthropic-beta")).isEqualTo("interleaved-thinking-2025-05-14");
  }

  @Test
  @DisplayName("Anthropic server tools (web search, code execution, MCP servers) are refused unless allowed; client tools pass")
  void anthropicServerTools() {
    JsonObject webSearch = messages(Upstream.ANTHROPIC).put("tools", new JsonArray()
        .add(new JsonObject().put("name", "get_weather").put("input_schema", new JsonObject().put("type", "object")))
        .add(new JsonObject().put("type", "web_search_20250305").put("name", "web_search").put("max_uses", 5)));
    JsonObject mcp = messages(Upstream.ANTHROPIC).put("mcp_servers", new JsonArray()
        .add(new JsonObject().put("type", "url").put("url", "https://mcp.example.com").put("name", "x")));
    JsonObject bash = messages(Upstream.ANTHROPIC).put("tools", new JsonArray()
        .add(new JsonObject().put("type", "bash_20250124").put("name", "bash")));

    assertRefused(postMessages(webSearch), "tools[1]", true);
    assertRefused(postMessages(mcp), "mcp_servers", true);
    assertThat(postMessages(bash).statusCode()).isEqualTo(200);
    assertThat(sent(Upstream.ANTHROPIC)).hasSize(1);

    allow(Upstream.ANTHROPIC, new JsonObject().put("server_tools", new JsonArray().add("web_search")));
    assertThat(postMessages(webSearch).statusCode()).isEqualTo(200);
    JsonObject arrived = sent(Upstream.ANTHROPIC).get(1).body();
    assertThat(arrived.getJsonArray("tools").getJsonObject(1).getString("type")).isEqualTo("web_search_20250305");
    assertNothingChargedForRefusals(2);
  }

  @Test
  @DisplayName("Responses built-in tools (web_search, file_search, code_interpreter, image_generation) are refused unless allowed")
  void responsesBuiltInTools() {
    for (String type : List.of("web_search", "file_search", "code_interpreter", "image_generation", "mcp")) {
      JsonObject body = responses(Upstream.OPENAI_RESPONSES).put("tools", new JsonArray()
          .add(new JsonObject().put("type", "function").put("name", "f").put("parameters", new JsonObject()))
          .add(new JsonObject().put("type", type)));
      assertRefused(http.post("/responses", customer.key(), body.encode()), "tools[1]", false);
    }
    assertThat(sent(Upstream.OPENAI_RESPONSES)).isEmpty();

    allow(Upstream.OPENAI_RESPONSES, new JsonObject().put("server_tools", new JsonArray().add("web_search")));
    JsonObject search = responses(Upstream.OPENAI_RESPONSES).put("tools", new JsonArray()
        .add(new JsonObject().put("type", "web_search_preview")));
    assertThat(http.post("/responses", customer.key(), search.encode()).statusCode()).isEqualTo(200);
    assertThat(sent(Upstream.OPENAI_RESPONSES).get(0).body().getJsonArray("tools").getJsonObject(0).getString("type"))
        .isEqualTo("web_search_preview");
    JsonObject chatSearch = chat(Upstream.OPENAI_CHAT).put("web_search_options", new JsonObject());
    assertRefused(http.post("/chat/completions", customer.key(), chatSearch.encode()), "web_search_options", false);
    assertNothingChargedForRefusals(6);
  }

  @Test
  @DisplayName("service_tier 'priority' is refused on OpenAI channels unless allowed; 'auto' and 'default' pass")
  void serviceTiers() {
    assertRefused(http.post("/chat/completions", customer.key(),
        chat(Upstream.OPENAI_CHAT).put("service_tier", "priority").encode()), "service_tier", false);
    assertRefused(http.post("/responses", customer.key(),
        responses(Upstream.OPENAI_RESPONSES).put("service_tier", "priority").encode()), "service_tier", false);
    assertRefused(http.post("/chat/completions", customer.key(),
        chat(Upstream.OPENAI_RESPONSES).put("service_tier", "scale").encode()), "service_tier", false);
    assertThat(http.post("/chat/completions", customer.key(),
        chat(Upstream.OPENAI_CHAT).put("service_tier", "auto").encode()).statusCode()).isEqualTo(200);

    allow(Upstream.OPENAI_CHAT, new JsonObject().put("service_tiers", new JsonArray().add("priority")));
    assertThat(http.post("/chat/completions", customer.key(),
        chat(Upstream.OPENAI_CHAT).put("service_tier", "priority").encode()).statusCode()).isEqualTo(200);
    assertThat(sent(Upstream.OPENAI_CHAT)).extracting(r -> r.body().getString("service_tier"))
        .containsExactly("auto", "priority");
    assertThat(sent(Upstream.OPENAI_RESPONSES)).isEmpty();
    assertNothingChargedForRefusals(3);
  }

  @Test
  @DisplayName("files stored in the operator's provider account (file_id, Anthropic file sources, Gemini file URIs) need allowing")
  void providerFiles() {
    JsonObject chatFile = chat(Upstream.OPENAI_CHAT);
    chatFile.getJsonArray("messages").getJsonObject(0).put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "summarise"))
        .add(new JsonObject().put("type", "file").put("file", new JsonObject().put("file_id", "file-operators"))));
    JsonObject responsesFile = responses(Upstream.OPENAI_RESPONSES).put("input", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "input_file").put("file_id", "file-operators")))));
    JsonObject anthropicFile = messages(Upstream.ANTHROPIC);
    anthropicFile.getJsonArray("messages").getJsonObject(0).put("content", new JsonArray()
        .add(new JsonObject().put("type", "document").put("source", new JsonObject().put("type", "file")
            .put("file_id", "file_011CNha8iCJcU1wXNR6q4V8w"))));
    JsonObject geminiFile = chat(Upstream.GEMINI);
    geminiFile.getJsonArray("messages").getJsonObject(0).put("content", new JsonArray()
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
            .put("url", "https://generativelanguage.googleapis.com/v1beta/files/abc-123"))));
    JsonObject geminiPublicImage = chat(Upstream.GEMINI);
    geminiPublicImage.getJsonArray("messages").getJsonObject(0).put("content", new JsonArray()
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
            .put("url", "https://example.com/cat.jpg"))));

    assertRefused(http.post("/chat/completions", customer.key(), chatFile.encode()), "messages[0].content[1]", false);
    assertRefused(http.post("/responses", customer.key(), responsesFile.encode()), "input[0].content[0]", false);
    assertRefused(postMessages(anthropicFile), "messages[0].content[0].source", true);
    assertRefused(http.post("/chat/completions", customer.key(), geminiFile.encode()),
        "contents[0].parts[0].fileData.fileUri", false);
    assertThat(http.post("/chat/completions", customer.key(), geminiPublicImage.encode()).statusCode()).isEqualTo(200);

    allow(Upstream.OPENAI_CHAT, new JsonObject().put("provider_files", true));
    assertThat(http.post("/chat/completions", customer.key(), chatFile.encode()).statusCode()).isEqualTo(200);
    assertThat(sent(Upstream.OPENAI_CHAT).get(0).body().getJsonArray("messages").getJsonObject(0)
        .getJsonArray("content").getJsonObject(1).getJsonObject("file").getString("file_id")).isEqualTo("file-operators");
    assertThat(sent(Upstream.OPENAI_RESPONSES)).isEmpty();
    assertThat(sent(Upstream.ANTHROPIC)).isEmpty();
    assertThat(sent(Upstream.GEMINI)).hasSize(1);
    assertNothingChargedForRefusals(4);
  }

  @Test
  @DisplayName("state stored at the provider (previous_response_id, conversation, item references) needs allowing; background never passes")
  void storedResponses() {
    JsonObject previous = responses(Upstream.OPENAI_RESPONSES).put("previous_response_id", "resp_of_another_tenant");
    JsonObject conversation = responses(Upstream.OPENAI_RESPONSES).put("conversation", "conv_123");
    JsonObject reference = responses(Upstream.OPENAI_RESPONSES).put("input", new JsonArray()
        .add(new JsonObject().put("type", "item_reference").put("id", "msg_123")));
    JsonObject background = responses(Upstream.OPENAI_RESPONSES).put("background", true);

    assertRefused(http.post("/responses", customer.key(), previous.encode()), "previous_response_id", false);
    assertRefused(http.post("/responses", customer.key(), conversation.encode()), "conversation", false);
    assertRefused(http.post("/responses", customer.key(), reference.encode()), "input[0]", false);
    assertRefused(http.post("/responses", customer.key(), background.encode()), "background", false);

    allow(Upstream.OPENAI_RESPONSES, new JsonObject().put("stored_responses", true));
    assertThat(http.post("/responses", customer.key(), previous.encode()).statusCode()).isEqualTo(200);
    assertRefused(http.post("/responses", customer.key(), background.encode()), "background", false);
    assertThat(sent(Upstream.OPENAI_RESPONSES)).extracting(r -> r.body().getString("previous_response_id"))
        .containsExactly("resp_of_another_tenant");
    assertNothingChargedForRefusals(5);
  }

  @Test
  @DisplayName("a malformed 'allow' setting is refused when the channel is written, naming it")
  void malformedAllowSetting() {
    AdminClient.Reply reply = gateway.admin.send("PUT", "/admin/channels/" + Upstream.OPENAI_CHAT.channel,
        Upstream.OPENAI_CHAT.definition(gateway).put("allow", new JsonObject().put("server_tools", "web_search")));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().getJsonObject("error").getString("param")).isEqualTo("allow.server_tools");
  }

  private void allow(Upstream upstream, JsonObject allow) {
    gateway.channel(upstream.channel, upstream.definition(gateway).put("allow", allow));
  }

  private List<RecordedRequest> sent(Upstream upstream) {
    return gateway.fake.requestsFor(upstream.upstreamModel);
  }

  private HttpResponse<String> postMessages(JsonObject body) {
    return http.post("/messages", null, body.encode(), Map.of("x-api-key", customer.key()));
  }

  private static void assertRefused(HttpResponse<String> response, String param, boolean anthropicShape) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    if (anthropicShape) {
      assertThat(error.getString("type")).isEqualTo("invalid_request_error");
      assertThat(error.getString("message")).contains("'" + param + "'");
    } else {
      assertThat(error.getString("param")).isEqualTo(param);
    }
  }

  /** Refused requests are free: each has its usage row, failed and costing nothing, and no hold is left. */
  private void assertNothingChargedForRefusals(int refusals) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.sql("SELECT count(*) FROM billing.usage WHERE outcome = 'failed' AND account_id = ?",
          customer.accountId())).isEqualTo(refusals);
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
    });
    assertThat(gateway.sql("SELECT COALESCE(SUM(cost_micros), 0) FROM billing.usage WHERE outcome = 'failed'"
        + " AND account_id = ?", customer.accountId())).isZero();
  }

  private static JsonObject chat(Upstream upstream) {
    return new JsonObject().put("model", upstream.alias).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  private static JsonObject responses(Upstream upstream) {
    return new JsonObject().put("model", upstream.alias).put("input", "hi");
  }

  private static JsonObject messages(Upstream upstream) {
    return chat(upstream).put("max_tokens", 50);
  }
}
