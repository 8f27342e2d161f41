package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/embeddings} with the official OpenAI SDK: passed through to the model's OpenAI
 * channel, billed on input tokens at the model's input price, the answer's {@code model} the alias
 * and its usage carrying the cost; models of other types, and channels without an embeddings
 * endpoint, are refused with a 400.
 */
@ExtendWith(VertxExtension.class)
class EmbeddingsTest {
  private static final String EMBEDDER = "embedder";
  private static final String UPSTREAM = "text-embedding-3-small";
  private static final long START_MICROS = 10_000_000;

  private GatewayUnderTest gateway;
  private Customer customer;
  private OpenAIClient client;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    Upstream.OPENAI_CHAT.install(gateway);
    Upstream.ANTHROPIC.install(gateway);
    embeddingModel(EMBEDDER, Upstream.OPENAI_CHAT.channel, UPSTREAM);
    embeddingModel("claude-embedder", Upstream.ANTHROPIC.channel, "claude-embed");
    customer = gateway.customer("10", EMBEDDER, "claude-embedder", Upstream.OPENAI_CHAT.alias);
    client = gateway.sdk(customer.key());
  }

  @Test
  @DisplayName("the provider's prompt_tokens are charged at the input price; the answer names the alias and carries the cost")
  void chargedOnInputTokens() {
    gateway.fake.script(UPSTREAM, Behavior.reply("").usage(120, 0));

    CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder().model(EMBEDDER)
        .input("The food was delicious and the waiter was very friendly.").build());

    assertThat(response.model()).isEqualTo(EMBEDDER);
    assertThat(response.data()).hasSize(1);
    assertThat(response.data().get(0).embedding()).isNotEmpty();
    assertThat(response.usage().promptTokens()).isEqualTo(120);
    assertThat(new BigDecimal(response.usage()._additionalProperties().get("cost").toString()))
        .isEqualByComparingTo("0.0018"); // 120 × 15 µcr
    JsonObject sent = gateway.fake.requestsFor(UPSTREAM).get(0).body();
    assertThat(gateway.fake.requestsFor(UPSTREAM).get(0).path()).isEqualTo("/v1/embeddings");
    assertThat(sent.getString("model")).isEqualTo(UPSTREAM);
    assertThat(sent.getString("input")).isEqualTo("The food was delicious and the waiter was very friendly.");
    JsonObject row = awaitRow();
    assertThat(row.getLong("input_tokens")).isEqualTo(120);
    assertThat(row.getLong("output_tokens")).isZero();
    assertThat(row.getLong("cost_micros")).isEqualTo(1_800);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS - 1_800);
  }

  @Test
  @DisplayName("a provider reporting no usage: the input is counted with the tokenizer and charged")
  void countedWhenTheProviderReportsNoUsage() {
    gateway.fake.script(UPSTREAM, Behavior.reply("").omitUsage());

    client.embeddings().create(EmbeddingCreateParams.builder().model(EMBEDDER)
        .inputOfArrayOfStrings(java.util.List.of("first text", "second text")).build());

    JsonObject row = awaitRow();
    assertThat(row.getLong("input_tokens")).isEqualTo(4); // "first text", "second text": two tokens each
    assertThat(row.getLong("cost_micros")).isEqualTo(4 * 15);
  }

  @Test
  @DisplayName("a model served only by a channel without an embeddings endpoint is a 400 saying so, and never called")
  void nonOpenAiChannelIsRefused() {
    assertThatThrownBy(() -> client.embeddings().create(EmbeddingCreateParams.builder().model("claude-embedder")
        .input("hello").build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.code()).contains("invalid_value");
          assertThat(e.getMessage()).contains("OpenAI-compatible channel");
        });
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("a chat model on /v1/embeddings and an embedding model on /v1/chat/completions are each a 400 on 'model'")
  void modelTypesMustMatchTheEndpoint() {
    RawHttp http = new RawHttp(gateway.v1());

    HttpResponse<String> chatModel = http.post("/embeddings", customer.key(),
        new JsonObject().put("model", Upstream.OPENAI_CHAT.alias).put("input", "hi").encode());
    HttpResponse<String> embedderAsChat = http.post("/chat/completions", customer.key(), new JsonObject()
        .put("model", EMBEDDER).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "hi"))).encode());
    HttpResponse<String> noInput = http.post("/embeddings", customer.key(),
        new JsonObject().put("model", EMBEDDER).encode());

    assertThat(chatModel.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(chatModel).getString("param")).isEqualTo("model");
    assertThat(embedderAsChat.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(embedderAsChat).getString("param")).isEqualTo("model");
    assertThat(noInput.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(noInput).getString("code")).isEqualTo("missing_field");
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("a stray 'messages' (even null) in an embeddings body is no chat: the input is held and charged, the body passed on")
  void strayMessagesField() {
    gateway.fake.script(UPSTREAM, Behavior.reply("").usage(7, 0));
    String body = new JsonObject().put("model", EMBEDDER).put("input", "hello").putNull("messages").encode();

    java.net.http.HttpResponse<String> response = new RawHttp(gateway.v1()).post("/embeddings", customer.key(), body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(gateway.fake.requestsFor(UPSTREAM).get(0).body().containsKey("messages")).isTrue();
    assertThat(awaitRow().getLong("cost_micros")).isEqualTo(105);
  }

  private void embeddingModel(String alias, String channel, String upstreamModel) {
    gateway.admin.ok("PUT", "/admin/models/" + alias, new JsonObject()
        .put("type", "embedding")
        .put("price", GatewayUnderTest.price("15", "0", null))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", channel).put("model", upstreamModel))));
  }

  private JsonObject awaitRow() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1);
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
    });
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("outcome")).isEqualTo("completed");
    return row;
  }
}
