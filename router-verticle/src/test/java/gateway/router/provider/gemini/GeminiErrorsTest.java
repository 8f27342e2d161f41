package gateway.router.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.provider.UpstreamError;
import gateway.router.provider.WireSamples;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GeminiErrorsTest {
  private final GeminiAdapter adapter = new GeminiAdapter();

  private static Buffer error(int code, String status, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)
        .put("status", status)).toBuffer();
  }

  @Test
  @DisplayName("a wrong channel key (400 API_KEY_INVALID) is a 401 of the channel: never the customer's 400")
  void wrongKey() {
    UpstreamError error = adapter.error(400, WireSamples.bytes("gemini/error-api-key-invalid.json"));

    assertThat(error.status()).isEqualTo(401);
    assertThat(error.code()).isEqualTo("API_KEY_INVALID");
    assertThat(error.message()).isEqualTo("API key not valid. Please pass a valid API key.");
    assertThat(error.isClientError()).isFalse();
    assertThat(error.countsAgainstChannel()).isTrue();
  }

  @Test
  @DisplayName("a missing channel key (403 PERMISSION_DENIED) is the channel's failure too")
  void missingKey() {
    UpstreamError error = adapter.error(403, WireSamples.bytes("gemini/error-permission-denied.json"));

    assertThat(error.status()).isEqualTo(403);
    assertThat(error.isClientError()).isFalse();
    assertThat(error.countsAgainstChannel()).isTrue();
  }

  @Test
  @DisplayName("any other 400 INVALID_ARGUMENT is the request's: the client gets it, nothing retries")
  void invalidArgument() {
    UpstreamError error = adapter.error(400, error(400, "INVALID_ARGUMENT",
        "* GenerateContentRequest.contents: contents is not specified\n"));

    assertThat(error.status()).isEqualTo(400);
    assertThat(error.type()).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.isClientError()).isTrue();
    assertThat(error.countsAgainstChannel()).isFalse();
  }

  @Test
  @DisplayName("429 RESOURCE_EXHAUSTED and 503 UNAVAILABLE are retryable on another route")
  void retryable() {
    assertThat(adapter.error(429, error(429, "RESOURCE_EXHAUSTED", "Quota exceeded")).retryable()).isTrue();
    assertThat(adapter.error(503, error(503, "UNAVAILABLE", "The model is overloaded.")).retryable()).isTrue();
  }

  @Test
  @DisplayName("a body that is not Google's still yields an error classified by its status")
  void foreignBody() {
    UpstreamError error = adapter.error(502, Buffer.buffer("upstream connect error"));

    assertThat(error.status()).isEqualTo(502);
    assertThat(error.retryable()).isTrue();
    assertThat(error.message()).contains("upstream connect error");
  }
}
