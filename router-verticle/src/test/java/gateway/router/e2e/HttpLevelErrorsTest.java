package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.e2e.GatewayUnderTest.Customer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests refused before any handler reads them (a request line or headers too long, a broken Content-Length) and
 * known paths called with the wrong method get the same JSON error shape as every other refusal.
 */
@ExtendWith(VertxExtension.class)
class HttpLevelErrorsTest {
  private static final String MODEL = "gpt-4o-mini";

  private GatewayUnderTest gateway;
  private final List<RawSocket> sockets = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("15", "60", null));
  }

  @AfterEach
  void closeSockets() {
    sockets.forEach(RawSocket::close);
  }

  private RawSocket.Response rawExchange(String request) {
    RawSocket socket = RawSocket.open(gateway.config.httpPort());
    sockets.add(socket);
    String received = socket.send(request).readUntilClosed();
    return SlowClientsTest.parse(received);
  }

  @Test
  @DisplayName("a request line over 4 KiB: 414 uri_too_long in the OpenAI shape, then the connection closes")
  void longUriIs414() {
    RawSocket.Response response = rawExchange(RawSocket.head("GET", "/v1/models?q=" + "a".repeat(5000), ""));

    assertThat(response.status()).isEqualTo(414);
    assertThat(response.error().getString("code")).isEqualTo("uri_too_long");
    assertThat(response.error().fieldNames()).containsExactlyInAnyOrder("message", "type", "code", "param");
    assertThat(response.header("x-request-id", "")).startsWith("req_");
  }

  @Test
  @DisplayName("headers over 8 KiB: 431 headers_too_large; on /v1/messages in Anthropic's shape")
  void largeHeadersAre431() {
    String big = "X-Padding: " + "p".repeat(9000) + "\r\n";

    RawSocket.Response chat = rawExchange(RawSocket.head("POST", "/v1/chat/completions", big));
    RawSocket.Response messages = rawExchange(RawSocket.head("POST", "/v1/messages", big));

    assertThat(chat.status()).isEqualTo(431);
    assertThat(chat.error().getString("code")).isEqualTo("headers_too_large");
    assertThat(messages.status()).isEqualTo(431);
    assertThat(messages.json().getString("type")).isEqualTo("error");
    assertThat(messages.json().getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
  }

  @Test
  @DisplayName("a Content-Length that is not a number, or two that disagree: 400 malformed_request in JSON")
  void badContentLengthIs400() {
    RawSocket.Response notANumber = rawExchange(RawSocket.head("POST", "/v1/chat/completions",
        "Content-Type: application/json\r\nContent-Length: lots\r\n"));
    RawSocket.Response twoValues = rawExchange(RawSocket.head("POST", "/v1/chat/completions",
        "Content-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 7\r\n") + "{}");

    assertThat(notANumber.status()).isEqualTo(400);
    assertThat(notANumber.error().getString("code")).isEqualTo("malformed_request");
    assertThat(twoValues.status()).isEqualTo(400);
    assertThat(twoValues.error().getString("code")).isEqualTo("malformed_request");
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("a known API path with the wrong method is a 405 naming the allowed ones, key or not; unknown paths stay 404")
  void wrongMethodIs405() {
    Customer customer = gateway.customer("1", MODEL);

    HttpResponse<String> getChat = send("GET", "/v1/chat/completions", customer.key());
    HttpResponse<String> getChatNoKey = send("GET", "/v1/chat/completions", null);
    HttpResponse<String> deleteModels = send("DELETE", "/v1/models", customer.key());
    HttpResponse<String> putModel = send("PUT", "/v1/models/" + MODEL, null);
    HttpResponse<String> getMessages = send("GET", "/v1/messages", customer.key());
    HttpResponse<String> unknown = send("GET", "/v1/nothing-here", customer.key());

    assertMethodNotAllowed(getChat, "POST");
    assertMethodNotAllowed(getChatNoKey, "POST");
    assertMethodNotAllowed(deleteModels, "GET");
    assertMethodNotAllowed(putModel, "GET");
    assertThat(getMessages.statusCode()).isEqualTo(405);
    assertThat(new JsonObject(getMessages.body()).getJsonObject("error").getString("type"))
        .isEqualTo("invalid_request_error");
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("the admin API answers a wrong method with 405 too, before the token check")
  void wrongAdminMethodIs405() {
    HttpResponse<String> getAccounts = send("GET", "/admin/code-batches/12/disable", null);
    HttpResponse<String> deleteKey = send("DELETE", "/admin/keys/12", null);
    HttpResponse<String> postAccount = send("POST", "/admin/accounts/12", null);

    assertMethodNotAllowed(getAccounts, "POST");
    assertMethodNotAllowed(deleteKey, "PATCH");
    assertThat(postAccount.statusCode()).isEqualTo(405);
    assertThat(postAccount.headers().firstValue("allow")).hasValue("GET, PATCH");
  }

  private static void assertMethodNotAllowed(HttpResponse<String> response, String allow) {
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("allow")).hasValue(allow);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("method_not_allowed");
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "code", "param");
  }

  private HttpResponse<String> send(String method, String path, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
    if (key != null) {
      request.header("authorization", "Bearer " + key);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
