package gateway.router.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.GatewayException;
import gateway.common.bus.ResolvedModel;
import gateway.common.money.Price;
import gateway.common.money.Usage;
import gateway.router.inbound.chat.ChatCall;
import gateway.router.provider.ApiFormat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HoldEstimatorTest {
  private static final Price PRICE = new Price(1_000_000, 4_000_000, 100_000, 1_250_000);
  private static final ResolvedModel MODEL = new ResolvedModel("m", "llm", 100_000, 2_000, PRICE, List.of());
  private static TokenCounter tokens;

  private final HoldEstimator estimator = new HoldEstimator(4096, 200_000);

  @BeforeAll
  static void loadTokenizer() {
    tokens = TokenCounter.load();
  }

  @Test
  @DisplayName("the prompt held is never below what the tokenizer counts, for English, CJK, code, emoji and digits")
  void promptBoundCoversTheTokenizer() {
    List<String> texts = List.of(
        "The quick brown fox jumps over the lazy dog. ".repeat(40),
        "模型网关把每个请求都先冻结额度，再按实际用量结算。".repeat(30),
        "for (int i = 0; i < n; i++) { sum += a[i] * b[i]; } // dot\n".repeat(30),
        "🙂🚀🎉🧪".repeat(100),
        "8274619283746192837461928374619283746".repeat(20),
        "hi ".repeat(100));
    for (String text : texts) {
      ClientCall request = chat(new JsonArray().add(message("user", text)));
      long counted = tokens.promptTokens(request.body());
      assertThat(estimator.bound(request, MODEL).promptTokens()).as(text.substring(0, 12)).isGreaterThanOrEqualTo(counted);
    }
  }

  @Test
  @DisplayName("an inline image counts as a fixed allowance, not as its bytes; an image by URL counts the same")
  void imagesCountAsAnAllowance() {
    String base64 = Base64.getEncoder().encodeToString(new byte[300_000]);
    JsonObject inline = new JsonObject().put("type", "image_url")
        .put("image_url", new JsonObject().put("url", "data:image/png;base64," + base64));
    JsonObject byUrl = new JsonObject().put("type", "image_url")
        .put("image_url", new JsonObject().put("url", "https://example.com/cat.png"));
    long text = estimator.bound(chat(new JsonArray().add(message("user", "look"))), MODEL).promptTokens();
    long withInline = estimator.bound(chat(parts(inline)), MODEL).promptTokens();
    long withUrl = estimator.bound(chat(parts(byUrl)), MODEL).promptTokens();
    assertThat(withInline).isBetween((long) PromptSize.IMAGE_TOKENS, PromptSize.IMAGE_TOKENS + text + 50);
    assertThat(withUrl).isBetween((long) PromptSize.IMAGE_TOKENS, PromptSize.IMAGE_TOKENS + text + 50);
  }

  @Test
  @DisplayName("files, documents, audio, stored responses and server tools hold the whole context window")
  void contentKeptElsewhereHoldsTheWindow() {
    JsonObject pdf = new JsonObject().put("type", "file")
        .put("file", new JsonObject().put("file_id", "file-abc"));
    assertThat(estimator.bound(chat(parts(pdf)), MODEL).promptTokens()).isEqualTo(100_000);

    JsonObject document = new JsonObject().put("model", "m").put("max_tokens", 10).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", new JsonArray().add(new JsonObject()
            .put("type", "document").put("source", new JsonObject().put("type", "url").put("url", "https://x/a.pdf"))))));
    assertThat(estimator.bound(client(ApiFormat.MESSAGES, document, 10), MODEL).promptTokens()).isEqualTo(100_000);

    JsonObject continued = new JsonObject().put("model", "m").put("input", "and then?")
        .put("previous_response_id", "resp_123");
    assertThat(estimator.bound(client(ApiFormat.RESPONSES, continued, null), MODEL).promptTokens()).isEqualTo(100_000);

    JsonObject search = new JsonObject().put("model", "m").put("max_tokens", 10)
        .put("messages", new JsonArray().add(message("user", "news?")))
        .put("tools", new JsonArray().add(new JsonObject().put("type", "web_search_20250305").put("name", "web_search")));
    assertThat(estimator.bound(client(ApiFormat.MESSAGES, search, 10), MODEL).promptTokens()).isEqualTo(100_000);

    JsonObject ownTool = search.copy().put("tools", new JsonArray().add(new JsonObject().put("name", "lookup")
        .put("input_schema", new JsonObject().put("type", "object"))));
    assertThat(estimator.bound(client(ApiFormat.MESSAGES, ownTool, 10), MODEL).promptTokens()).isLessThan(1_000);
  }

  @Test
  @DisplayName("a prompt larger than the context window is held at the window, which no prompt can exceed")
  void promptIsCappedAtTheWindow() {
    ClientCall huge = chat(new JsonArray().add(message("user", "x".repeat(1_000_000))));
    assertThat(estimator.bound(huge, MODEL).promptTokens()).isEqualTo(100_000);
  }

  @Test
  @DisplayName("the output held is the client's limit, else the model's maximum, else the default, times n")
  void outputLimit() {
    JsonObject body = new JsonObject().put("model", "m").put("messages", new JsonArray().add(message("user", "hi")));
    ResolvedModel noMax = new ResolvedModel("m", "llm", 100_000, null, PRICE, List.of());
    assertThat(estimator.bound(ChatCall.parse(body.toBuffer()), MODEL).outputLimit()).isEqualTo(2_000);
    assertThat(estimator.bound(ChatCall.parse(body.toBuffer()), noMax).outputLimit()).isEqualTo(4096);
    HoldEstimator.Bound bound = estimator.bound(ChatCall.parse(body.copy().put("max_tokens", 300).put("n", 3)
        .toBuffer()), MODEL);
    assertThat(bound.outputLimit()).isEqualTo(300);
    assertThat(bound.outputTokens()).isEqualTo(900);
  }

  @Test
  @DisplayName("every prompt token is held at the highest prompt price (here cache writes), output at the output price")
  void holdsTheHighestPromptPrice() {
    ClientCall request = ChatCall.parse(new JsonObject().put("model", "m").put("max_tokens", 100)
        .put("messages", new JsonArray().add(message("user", "hello there"))).toBuffer());
    HoldEstimator.Bound bound = estimator.bound(request, MODEL);
    long expected = PRICE.costMicros(new Usage(0, 0, bound.promptTokens(), 100, 0));
    assertThat(bound.maxCostMicros()).isEqualTo(expected)
        .isGreaterThan(PRICE.costMicros(new Usage(bound.promptTokens(), 0, 0, 100, 0)));
  }

  @Test
  @DisplayName("n above 128 or an output limit above a million is a 400 naming the field")
  void rangesAreChecked() {
    JsonObject body = new JsonObject().put("model", "m").put("messages", new JsonArray().add(message("user", "hi")));
    assertThatThrownBy(() -> estimator.bound(ChatCall.parse(body.copy().put("n", Integer.MAX_VALUE)
        .put("max_tokens", Integer.MAX_VALUE).toBuffer()), MODEL))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("n"));
    assertThatThrownBy(() -> estimator.bound(ChatCall.parse(body.copy().put("max_tokens", 1_000_001).toBuffer()),
        MODEL)).isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("max_tokens"));
    JsonObject responses = new JsonObject().put("model", "m").put("input", "hi");
    assertThatThrownBy(() -> estimator.bound(client(ApiFormat.RESPONSES, responses, 2_000_000), MODEL))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("max_output_tokens"));
  }

  @Test
  @DisplayName("a body nested ten thousand levels deep is measured without overflowing the stack")
  void deepNesting() {
    Object nested = "leaf";
    for (int i = 0; i < 10_000; i++) {
      nested = new JsonArray().add(nested);
    }
    JsonObject body = new JsonObject().put("model", "m").put("messages", new JsonArray().add(message("user", "hi")))
        .put("metadata", new JsonObject().put("deep", nested));
    // Built directly: the JSON decoder itself refuses such depth (see the fuzzing suite).
    assertThat(estimator.bound(ClientCall.chat(body, "m", Delivery.WHOLE, false, OutputBound.of(null, "max_tokens")),
        MODEL).promptTokens()).isPositive();
  }

  private static ClientCall chat(JsonArray messages) {
    return ChatCall.parse(new JsonObject().put("model", "m").put("messages", messages).toBuffer());
  }

  private static JsonArray parts(JsonObject part) {
    return new JsonArray().add(new JsonObject().put("role", "user")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "look")).add(part)));
  }

  private static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  private static ClientCall client(ApiFormat format, JsonObject body, Integer maxOutput) {
    JsonObject chat = new JsonObject().put("model", "m").put("messages", new JsonArray().add(message("user", "-")));
    String field = format.outputLimitFields().isEmpty() ? "max_tokens" : format.outputLimitFields().get(0);
    return new ClientCall(format, "m", body, new ChatForm.Chat(chat, false), Delivery.WHOLE,
        OutputBound.of(maxOutput, field), Map.of());
  }
}
