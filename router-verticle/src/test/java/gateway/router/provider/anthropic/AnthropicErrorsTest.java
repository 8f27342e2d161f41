package gateway.router.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.provider.UpstreamError;
import gateway.router.provider.WireSamples;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AnthropicErrorsTest {

  private static Buffer error(String type, String message) {
    return new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message)).toBuffer();
  }

  @Test
  @DisplayName("the documented error body keeps its status, type and message; a 404 means the route names a model "
      + "the provider lacks: another route may serve, and the channel itself is not held at fault")
  void documentedError() {
    UpstreamError error = new AnthropicAdapter().error(404, WireSamples.bytes("anthropic/error-not-found.json"));

    assertThat(error.status()).isEqualTo(404);
    assertThat(error.type()).isEqualTo("not_found_error");
    assertThat(error.message()).isEqualTo("The requested resource could not be found.");
    assertThat(error.retryable()).isTrue();
    assertThat(error.isClientError()).isFalse();
    assertThat(error.countsAgainstChannel()).isFalse();
  }

  @Test
  @DisplayName("529 overloaded is retryable on another route and counts against the channel")
  void overloaded() {
    UpstreamError error = AnthropicErrors.read(529, error("overloaded_error", "Overloaded"));

    assertThat(error.retryable()).isTrue();
    assertThat(error.countsAgainstChannel()).isTrue();
    assertThat(error.isClientError()).isFalse();
  }

  @Test
  @DisplayName("a 400 invalid_request_error is the client's: not retried, not held against the channel")
  void invalidRequest() {
    UpstreamError error = AnthropicErrors.read(400, error("invalid_request_error", "max_tokens: Field required"));

    assertThat(error.isClientError()).isTrue();
    assertThat(error.countsAgainstChannel()).isFalse();
    assertThat(error.message()).isEqualTo("max_tokens: Field required");
  }

  @Test
  @DisplayName("the channel's own key refused (401, 402, 403) is never the customer's error and counts against the channel")
  void channelCredentialsRefused() {
    for (int status : new int[] {401, 402, 403}) {
      UpstreamError error = AnthropicErrors.read(status, error(AnthropicErrorsTest.typeOf(status), "invalid x-api-key"));

      assertThat(error.status()).isEqualTo(status);
      assertThat(error.isClientError()).as("status %d", status).isFalse();
      assertThat(error.countsAgainstChannel()).isTrue();
    }
  }

  @Test
  @DisplayName("a body that is not Anthropic's (a proxy's HTML page) still yields an error classified by its status")
  void foreignBody() {
    UpstreamError error = AnthropicErrors.read(502, Buffer.buffer("<html><body>Bad Gateway</body></html>"));

    assertThat(error.status()).isEqualTo(502);
    assertThat(error.retryable()).isTrue();
    assertThat(error.message()).contains("Bad Gateway");
  }

  @Test
  @DisplayName("an error event in a stream takes the status its type stands for")
  void errorEvent() {
    UpstreamError overloaded = AnthropicErrors.inStream(new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", "overloaded_error").put("message", "Overloaded")));
    UpstreamError unknown = AnthropicErrors.inStream(new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", "some_new_error").put("message", "?")));

    assertThat(overloaded.status()).isEqualTo(529);
    assertThat(overloaded.retryable()).isTrue();
    assertThat(unknown.status()).isZero();
    assertThat(unknown.retryable()).isTrue();
  }

  private static String typeOf(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      default -> "permission_error";
    };
  }
}
