package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
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
 * Client input that used to give the gateway's own 500s, hang, or put a Java class name in the
 * reply: each is now answered at once, a 200 when the input means something valid (an optional
 * field sent as null is absent) and otherwise a 400 in the endpoint's shape naming the field.
 */
@ExtendWith(VertxExtension.class)
class HostileInputTest {
  private static final String CLAUDE = Upstream.ANTHROPIC.alias;
  private static final String GPT = Upstream.OPENAI_CHAT.alias;

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    Upstream.ANTHROPIC.install(gateway);
    Upstream.OPENAI_CHAT.install(gateway);
    customer = gateway.customer("10", CLAUDE, GPT);
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("\"tools\": null is no tools, on every endpoint and through every translation")
  void nullToolsAreNoTools() {
    JsonObject user = new JsonObject().put("role", "user").put("content", "hi");
    String chat = new JsonObject().put("model", CLAUDE).put("messages", new JsonArray().add(user)).putNull("tools")
        .encode();
    String responsesToClaude = new JsonObject().put("model", CLAUDE).put("input", "hi").putNull("tools").encode();
    String responsesToGpt = new JsonObject().put("model", GPT).put("input", "hi").putNull("tools").encode();
    String messagesToGpt = new JsonObject().put("model", GPT).put("max_tokens", 20)
        .put("messages", new JsonArray().add(user)).putNull("tools").encode();
    String messagesToClaude = new JsonObject(messagesToGpt).put("model", CLAUDE).encode();

    assertThat(http.post("/chat/completions", customer.key(), chat).statusCode()).isEqualTo(200);
    assertThat(http.post("/responses", customer.key(), responsesToClaude).statusCode()).isEqualTo(200);
    assertThat(http.post("/responses", customer.key(), responsesToGpt).statusCode()).isEqualTo(200);
    assertThat(messages("/messages", messagesToGpt).statusCode()).isEqualTo(200);
    assertThat(messages("/messages", messagesToClaude).statusCode()).isEqualTo(200);
    HttpResponse<String> counted = messages("/messages/count_tokens", messagesToGpt);
    assertThat(counted.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(counted.body()).getLong("input_tokens")).isPositive();
  }

  @Test
  @DisplayName("a message without a role on /v1/messages and count_tokens: a 400 in Anthropic's shape naming it")
  void messageWithoutRole() {
    String body = new JsonObject().put("model", CLAUDE).put("max_tokens", 20)
        .put("messages", new JsonArray().add(new JsonObject().put("content", "hi"))).encode();

    for (String path : List.of("/messages", "/messages/count_tokens")) {
      HttpResponse<String> response = messages(path, body);
      assertThat(response.statusCode()).as(path).isEqualTo(400);
      JsonObject error = new JsonObject(response.body());
      assertThat(error.getString("type")).isEqualTo("error");
      assertThat(error.getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
      assertThat(error.getJsonObject("error").getString("message")).contains("messages[0].role");
    }
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("a 'reasoning' that is not an object on /v1/responses: a 400 naming it at once, null meaning none")
  void reasoningThatIsNotAnObject() {
    for (Object reasoning : new Object[] {1, "x", new JsonArray(), true}) {
      for (boolean stream : new boolean[] {false, true}) {
        String body = new JsonObject().put("model", GPT).put("input", "hi").put("stream", stream)
            .put("reasoning", reasoning).encode();
        HttpResponse<String> response = http.post("/responses", customer.key(), body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        assertThat(RawHttp.error(response).getString("param")).isEqualTo("reasoning");
      }
    }
    for (boolean stream : new boolean[] {false, true}) {
      String body = new JsonObject().put("model", GPT).put("input", "hi").put("stream", stream).putNull("reasoning")
          .encode();
      HttpResponse<String> response = http.post("/responses", customer.key(), body);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains(stream ? "response.completed" : "\"status\":\"completed\"");
    }
    assertNothingHeld();
  }

  @Test
  @DisplayName("a field of the wrong type deep in a body: the 400 names the field and what it must be, never a Java class")
  void wrongTypesAreNamedNotJavaClasses() {
    JsonObject toolCallAsString = new JsonObject().put("model", CLAUDE).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "hi"))
        .add(new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray()
            .add(new JsonObject().put("id", "call_1").put("type", "function").put("function", 7)))));
    HttpResponse<String> chat = http.post("/chat/completions", customer.key(), toolCallAsString.encode());
    assertThat(chat.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(chat).getString("param")).isEqualTo("messages[1].tool_calls[0].function");
    assertThat(RawHttp.error(chat).getString("message")).contains("must be an object");

    JsonObject sourceAsString = new JsonObject().put("model", GPT).put("max_tokens", 10)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "image").put("source", "not an object")))));
    HttpResponse<String> messages = messages("/messages", sourceAsString.encode());
    assertThat(messages.statusCode()).isEqualTo(400);
    assertThat(messages.body()).contains("messages[0].content[0].source");

    JsonObject itemsAsNumbers = new JsonObject().put("model", GPT).put("input", new JsonArray()
        .add(new JsonObject().put("type", "message").put("role", "user").put("content", 5)));
    HttpResponse<String> responses = http.post("/responses", customer.key(), itemsAsNumbers.encode());
    assertThat(responses.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(responses).getString("param")).isEqualTo("input[0].content");

    for (HttpResponse<String> reply : List.of(chat, messages, responses)) {
      assertThat(reply.body()).doesNotContain("java.", "io.vertx", "Exception", "class ");
    }
    assertThat(gateway.fake.requests()).isEmpty();
    assertThat(gateway.usageRowCount(customer.accountId())).isZero();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(10_000_000L);
  }

  @Test
  @DisplayName("a top-up above 10^12 credits is a 400; one that would overflow the balance a 409; neither changes it")
  void topUpsNearTheLimitOfTheLedger() {
    AdminClient.Reply tooLarge = gateway.admin.send("POST", "/admin/accounts/" + customer.accountId() + "/credits",
        new JsonObject().put("amount_credits", "9223372036854"));
    assertThat(tooLarge.status()).isEqualTo(400);
    assertThat(tooLarge.body().getJsonObject("error").getString("param")).isEqualTo("amount_credits");

    long before = gateway.balanceMicros(customer.accountId());
    AdminClient.Reply last = null;
    for (int i = 0; i < 10 && (last == null || last.status() == 200); i++) {
      last = gateway.admin.send("POST", "/admin/accounts/" + customer.accountId() + "/credits",
          new JsonObject().put("amount_credits", 1_000_000_000_000L));
    }
    assertThat(last.status()).isEqualTo(409);
    assertThat(last.body().getJsonObject("error").getString("message")).contains("balance");
    long after = gateway.balanceMicros(customer.accountId());
    assertThat(after - before).isEqualTo(9_000_000_000_000_000_000L);
    AdminClient.Reply account = gateway.admin.send("GET", "/admin/accounts/" + customer.accountId(), null);
    assertThat(account.status()).isEqualTo(200);
  }

  @Test
  @DisplayName("control characters or lone surrogates in model, user, metadata keys or ?channel=: a 400 naming it on every endpoint, nothing held")
  void controlCharactersInIdentifiers() {
    gateway.model("wild-*", Upstream.PRICE, new JsonObject().put("channel", Upstream.OPENAI_CHAT.channel)
        .put("model", Upstream.OPENAI_CHAT.upstreamModel));
    Customer wild = gateway.customer("10", "*");
    JsonArray hi = new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"));
    Map<String, String> bodies = new java.util.LinkedHashMap<>();
    // Written as JSON escapes: a lone surrogate only reaches the gateway as one (the client's UTF-8 encoder would replace it).
    for (String bad : List.of("wild-\\u0000", "wild-\\u001b[2J", "wild-\\u007f", "wild-\\ud800")) {
      bodies.put("/chat/completions model " + bad, withModel(new JsonObject().put("messages", hi), bad));
      bodies.put("/responses model " + bad, withModel(new JsonObject().put("input", "hi"), bad));
      bodies.put("/messages model " + bad, withModel(new JsonObject().put("max_tokens", 5).put("messages", hi), bad));
      bodies.put("/messages/count_tokens model " + bad, withModel(new JsonObject().put("messages", hi), bad));
      bodies.put("/embeddings model " + bad, withModel(new JsonObject().put("input", "hi"), bad));
    }
    bodies.put("/chat/completions user", new JsonObject().put("model", "wild-1").put("messages", hi)
        .put("user", "u\u0000").encode());
    bodies.put("/responses user", new JsonObject().put("model", "wild-1").put("input", "hi").put("user", "u\n")
        .encode());
    bodies.put("/chat/completions metadata", new JsonObject().put("model", "wild-1").put("messages", hi)
        .put("metadata", new JsonObject().put("k\u0000", "v")).encode());
    bodies.put("/responses metadata", new JsonObject().put("model", "wild-1").put("input", "hi")
        .put("metadata", new JsonObject().put("@KEY@", "v")).encode().replace("@KEY@", "\\ud83d"));
    bodies.put("/messages metadata", new JsonObject().put("model", "wild-1").put("max_tokens", 5).put("messages", hi)
        .put("metadata", new JsonObject().put("user_id", "a\u0000b")).encode());

    bodies.forEach((what, body) -> {
      String path = what.substring(0, what.indexOf(' '));
      HttpResponse<String> response = path.startsWith("/messages")
          ? http.post(path, null, body, Map.of("x-api-key", wild.key()))
          : http.post(path, wild.key(), body);
      String shown = what.chars().mapToObj(c -> c < 0x20 || c >= 0x7f ? String.format("\\u%04x", c)
          : String.valueOf((char) c)).collect(java.util.stream.Collectors.joining());
      assertThat(response.statusCode()).as(shown + ": " + response.body()).isEqualTo(400);
      String field = what.substring(what.indexOf(' ') + 1).split(" ")[0];
      String expected = field.equals("metadata") && path.equals("/messages") ? "metadata.user_id" : field;
      if (path.startsWith("/messages")) {
        assertThat(new JsonObject(response.body()).getJsonObject("error").getString("message")).as(shown)
            .contains("'" + expected + "'");
      } else {
        assertThat(RawHttp.error(response).getString("param")).as(shown).isEqualTo(expected);
      }
    });
    HttpResponse<String> pinned = http.post("/chat/completions?channel=fake-openai%00", wild.key(),
        new JsonObject().put("model", "wild-1").put("messages", hi).encode());
    assertThat(pinned.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(pinned).getString("param")).isEqualTo("channel");

    assertThat(gateway.fake.requests()).isEmpty();
    assertThat(gateway.usageRowCount(wild.accountId())).isZero();
    assertThat(gateway.heldMicros(wild.accountId())).isZero();
    assertThat(gateway.balanceMicros(wild.accountId())).isEqualTo(10_000_000L);
  }

  @Test
  @DisplayName("a body nested deeper than 128 levels is a 400 at once (deep ones used to hang an echoing stream or an admin write)")
  void deepNesting() {
    String deep = "{\"a\":".repeat(990) + "1" + "}".repeat(990);
    String responses = "{\"model\":\"" + GPT + "\",\"input\":\"hi\",\"stream\":true,\"text\":" + deep + "}";
    HttpResponse<String> refused = http.post("/responses", customer.key(), responses);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(refused).getString("code")).isEqualTo("invalid_json");
    AdminClient.Reply admin = gateway.admin.send("PUT", "/admin/channels/deep",
        new JsonObject("{\"type\":\"openai\",\"base_url\":\"https://h/v1\",\"timeouts\":" + deep + "}"));
    assertThat(admin.status()).isEqualTo(400);

    String fine = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
    assertThat(http.post("/responses", customer.key(), responses.replace(deep, fine)).statusCode()).isEqualTo(200);
    assertThat(gateway.fake.requestsFor(Upstream.OPENAI_CHAT.upstreamModel)).hasSize(1);
  }

  /** The body with a model given as raw JSON string content (escapes and all). */
  private static String withModel(JsonObject body, String rawModel) {
    return body.put("model", "@MODEL@").encode().replace("@MODEL@", rawModel);
  }

  private HttpResponse<String> messages(String path, String body) {
    return http.post(path, null, body, Map.of("x-api-key", customer.key()));
  }

  private void assertNothingHeld() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(gateway.heldMicros(customer.accountId())).isZero());
  }
}
