package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.TestServices;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a provider's failure tells the client: our words around its code, never its hosts or our keys. */
@ExtendWith(VertxExtension.class)
class UpstreamErrorLeaksTest {
  private static final JsonObject PRICE = GatewayUnderTest.price("10", "20", null);
  private static final String WRONG_KEY = "sk-operator-key-that-the-provider-refuses-4242";

  private GatewayUnderTest gateway;
  private RawHttp http;
  private Customer customer;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    http = new RawHttp(gateway.v1());
    customer = gateway.customer("100", "*");
  }

  @Test
  @DisplayName("a provider refusing the channel's key: the 502 names neither the masked key nor the provider's URL")
  void refusedChannelKeyIsNotEchoed() {
    gateway.channel("refused", new JsonObject().put("type", "openai").put("base_url", gateway.fake.openAiBaseUrl())
        .put("api_key", WRONG_KEY));
    gateway.model("m-refused", PRICE, RoutingTest.route("refused", "m-refused", 0));
    gateway.fake.script("m-refused", Behavior.reply("never"));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), body("m-refused", false));

    assertThat(response.statusCode()).isEqualTo(502);
    String message = RawHttp.error(response).getString("message");
    assertThat(message).contains("Incorrect API key provided").doesNotContain("sk-").doesNotContain("4242")
        .doesNotContain("platform.openai.com");
  }

  @Test
  @DisplayName("a channel that cannot be reached: the 502 says so without its host or port")
  void unreachableChannelHidesItsAddress() {
    int closedPort = TestServices.freePort();
    gateway.channel("down", new JsonObject().put("type", "openai")
        .put("base_url", "http://127.0.0.1:" + closedPort + "/v1").put("api_key", GatewayUnderTest.CHANNEL_KEY));
    gateway.model("m-down", PRICE, RoutingTest.route("down", "m-down", 0));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), body("m-down", false));

    assertThat(response.statusCode()).isEqualTo(502);
    String message = RawHttp.error(response).getString("message");
    assertThat(message).contains("channel 'down' could not be reached").doesNotContain("127.0.0.1")
        .doesNotContain(Integer.toString(closedPort)).doesNotContain("refused:");
  }

  @Test
  @DisplayName("a provider's 400 reaches the client with its type, code and explanation, without internal URLs")
  void clientErrorKeepsTheCodeNotTheHosts() {
    gateway.openAiModel("m-bad", "m-bad", PRICE);
    gateway.fake.script("m-bad", Behavior.error(400,
        "Invalid 'messages[0]': see https://docs.internal.example.corp:8443/errors?key=abcdef123 from 10.2.3.4:9000"));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), body("m-bad", false));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject error = RawHttp.error(response);
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("message")).contains("Invalid 'messages[0]'").doesNotContain("internal.example")
        .doesNotContain("8443").doesNotContain("abcdef123").doesNotContain("10.2.3.4").doesNotContain("9000");
  }

  @Test
  @DisplayName("a stream broken by the provider after content: the error event carries no internal address")
  void brokenStreamHidesTheAddress() {
    gateway.openAiModel("m-cut", "m-cut", PRICE);
    gateway.fake.script("m-cut", Behavior.reply("one two three four").chunks(4)
        .errorEventAfterChunks(2, "backend pod 10.1.7.9:50051 (llm-worker-3.svc.cluster.local) crashed"));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), body("m-cut", true));

    List<String> data = RawHttp.dataLines(response.body());
    String message = new JsonObject(data.get(data.size() - 1)).getJsonObject("error").getString("message");
    assertThat(message).contains("crashed").doesNotContain("10.1.7.9").doesNotContain("50051")
        .doesNotContain("llm-worker-3");
  }

  private static String body(String model, boolean stream) {
    return new JsonObject().put("model", model).put("stream", stream).put("max_tokens", 10)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }
}
