package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every refusal reaches the client in the OpenAI error shape with the right status; none reaches the upstream. */
@ExtendWith(VertxExtension.class)
class ErrorsTest {
  private static final String MODEL = "gpt-4o-mini";
  private static final String HELLO = new JsonObject().put("model", MODEL)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

  private GatewayUnderTest gateway;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_MAX_BODY_BYTES", 4096));
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("15", "60", null));
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("an unknown key: the SDK raises UnauthorizedException (401, invalid_api_key)")
  void unknownKeyIs401() {
    UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class, () -> call(gateway.sdk("sk-nope")));
    assertThat(e.statusCode()).isEqualTo(401);
    assertThat(e.code()).contains("invalid_api_key");
    assertThat(e.type()).contains("authentication_error");
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("a missing key is a 401 whose body has all four error fields")
  void missingKeyIs401WithAllFields() {
    HttpResponse<String> response = http.post("/chat/completions", null, HELLO);
    assertThat(response.statusCode()).isEqualTo(401);
    JsonObject error = RawHttp.error(response);
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "code", "param");
    assertThat(error.getString("code")).isEqualTo("invalid_api_key");
  }

  @Test
  @DisplayName("an account that cannot cover the request gets 402 insufficient_credits before any upstream call")
  void insufficientCreditsIs402() {
    Customer broke = gateway.customer(null, MODEL);
    UnexpectedStatusCodeException e = catchThrowableOfType(UnexpectedStatusCodeException.class,
        () -> call(gateway.sdk(broke.key())));
    assertThat(e.statusCode()).isEqualTo(402);
    assertThat(e.code()).contains("insufficient_credits");
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("a key scoped to other models: PermissionDeniedException (403, model_not_allowed)")
  void modelOutsideScopeIs403() {
    Customer scoped = gateway.customer("1", "some-other-model");
    PermissionDeniedException e = catchThrowableOfType(PermissionDeniedException.class,
        () -> call(gateway.sdk(scoped.key())));
    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(e.code()).contains("model_not_allowed");
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("an unknown model: NotFoundException (404, model_not_found)")
  void unknownModelIs404() {
    Customer customer = gateway.customer("1", "*");
    NotFoundException e = catchThrowableOfType(NotFoundException.class, () -> gateway.sdk(customer.key()).chat()
        .completions().create(ChatCompletionCreateParams.builder().model("no-such-model").addUserMessage("hi").build()));
    assertThat(e.code()).contains("model_not_found");
    assertThat(e.param()).contains("model");
  }

  @Test
  @DisplayName("malformed JSON is a 400 invalid_json; a missing 'messages' a 400 missing_field naming it")
  void badBodiesAre400() {
    Customer customer = gateway.customer("1", MODEL);
    HttpResponse<String> malformed = http.post("/chat/completions", customer.key(), "{\"model\": \"x\", ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(malformed).getString("code")).isEqualTo("invalid_json");

    HttpResponse<String> noMessages = http.post("/chat/completions", customer.key(),
        new JsonObject().put("model", MODEL).encode());
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(noMessages).getString("code")).isEqualTo("missing_field");
    assertThat(RawHttp.error(noMessages).getString("param")).isEqualTo("messages");

    HttpResponse<String> notAnArray = http.post("/chat/completions", customer.key(),
        new JsonObject().put("model", MODEL).put("messages", "hi").encode());
    assertThat(RawHttp.error(notAnArray).getString("code")).isEqualTo("invalid_value");
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("a body over the size limit is a 413 request_too_large")
  void oversizedBodyIs413() {
    Customer customer = gateway.customer("1", MODEL);
    String big = new JsonObject().put("model", MODEL).put("messages", new JsonArray().add(
        new JsonObject().put("role", "user").put("content", "x".repeat(10_000)))).encode();
    HttpResponse<String> response = http.post("/chat/completions", customer.key(), big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(RawHttp.error(response).getString("code")).isEqualTo("request_too_large");
  }

  @Test
  @DisplayName("every response carries an x-request-id: success, refusal, unknown path, health and admin")
  void everyResponseHasARequestId() {
    Customer customer = gateway.customer("1", MODEL);
    assertThat(http.post("/chat/completions", customer.key(), HELLO).headers().firstValue("x-request-id"))
        .hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    assertThat(http.post("/chat/completions", "sk-bad", HELLO).headers().firstValue("x-request-id")).isPresent();
    assertThat(http.get("/nowhere", null).headers().firstValue("x-request-id")).isPresent();
    assertThat(new RawHttp(gateway.baseUrl()).get("/health/ready", null).headers().firstValue("x-request-id"))
        .isPresent();
    assertThat(gateway.admin.send("GET", "/admin/models", null).raw().headers().firstValue("x-request-id"))
        .isPresent();
  }

  @Test
  @DisplayName("a disabled key stops working at once, though it was cached a moment before")
  void disabledKeyStopsAtOnce() {
    Customer customer = gateway.customer("1", MODEL);
    assertThat(http.post("/chat/completions", customer.key(), HELLO).statusCode()).isEqualTo(200);
    gateway.admin.ok("PATCH", "/admin/keys/" + customer.keyId(), new JsonObject().put("disabled", true));
    await().atMost(Duration.ofSeconds(5)).until(() ->
        http.post("/chat/completions", customer.key(), HELLO).statusCode() == 401);
  }

  @Test
  @DisplayName("an expired key is refused with 401")
  void expiredKeyIs401() {
    long account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "x")).getLong("id");
    String key = gateway.admin.ok("POST", "/admin/accounts/" + account + "/keys", new JsonObject()
        .put("models", new JsonArray().add(MODEL)).put("expires_at", "2020-01-01T00:00:00Z")).getString("key");
    HttpResponse<String> response = http.post("/chat/completions", key, HELLO);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(RawHttp.error(response).getString("message")).contains("expired");
  }

  @Test
  @DisplayName("a regenerated key works and the old secret is refused at once")
  void regeneratedKeyReplacesTheOld() {
    Customer customer = gateway.customer("1", MODEL);
    assertThat(http.post("/chat/completions", customer.key(), HELLO).statusCode()).isEqualTo(200);
    String fresh = gateway.admin.ok("POST", "/admin/keys/" + customer.keyId() + "/regenerate", null).getString("key");
    assertThat(fresh).startsWith("sk-").isNotEqualTo(customer.key());
    assertThat(http.post("/chat/completions", fresh, HELLO).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() ->
        http.post("/chat/completions", customer.key(), HELLO).statusCode() == 401);
  }

  @Test
  @DisplayName("an upstream 5xx becomes a 502 upstream_error carrying its reason, and is free")
  void upstreamFailureIs502AndFree() {
    gateway.fake.script(MODEL, Behavior.error(503, "maintenance window"));
    Customer customer = gateway.customer("1", MODEL);
    OpenAIServiceException e = catchThrowableOfType(OpenAIServiceException.class, () -> call(gateway.sdk(customer.key())));
    assertThat(e.statusCode()).isEqualTo(502);
    assertThat(e.code()).contains("upstream_error");
    assertThat(e.getMessage()).contains("maintenance window");
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.usageRowCount(customer.accountId()) == 1);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(1_000_000);
  }

  @Test
  @DisplayName("an upstream 400 (the request itself is wrong) reaches the client as a 400, without retry")
  void upstreamClientErrorIsPassedOnNotRetried() {
    gateway.fake.script(MODEL, Behavior.error(400, "This model's maximum context length is 128000 tokens"));
    Customer customer = gateway.customer("1", MODEL);
    HttpResponse<String> response = http.post("/chat/completions", customer.key(), HELLO);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(response).getString("type")).isEqualTo("invalid_request_error");
    assertThat(RawHttp.error(response).getString("message")).contains("maximum context length");
    assertThat(gateway.fake.requestsFor(MODEL)).hasSize(1);
  }

  @Test
  @DisplayName("a model with no usable route is a 503 no_available_channel, and is free")
  void noRouteIs503() {
    gateway.admin.ok("PUT", "/admin/models/orphan", new JsonObject().put("price", GatewayUnderTest.price("1", "1", null)));
    Customer customer = gateway.customer("1", "orphan");
    HttpResponse<String> response = http.post("/chat/completions", customer.key(),
        new JsonObject(HELLO).put("model", "orphan").encode());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(RawHttp.error(response).getString("code")).isEqualTo("no_available_channel");
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(1_000_000);
  }

  private static void call(OpenAIClient client) {
    client.chat().completions().create(ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("hi").build());
  }
}
