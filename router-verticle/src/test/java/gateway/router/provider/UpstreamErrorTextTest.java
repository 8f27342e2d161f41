package gateway.router.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UpstreamErrorTextTest {

  @Test
  @DisplayName("OpenAI's echo of a masked key, bearer tokens, Google keys and key= parameters are redacted everywhere")
  void credentialsAreRedacted() {
    String openAi = "Incorrect API key provided: sk-abc***************************wxyz. You can find your API key"
        + " at https://platform.openai.com/account/api-keys.";
    assertThat(UpstreamErrorText.redactSecrets(openAi)).doesNotContain("sk-").doesNotContain("wxyz")
        .contains("Incorrect API key provided");
    assertThat(UpstreamErrorText.redactSecrets("sent Authorization: Bearer eyJhbGciOi.J9.abc")).doesNotContain("eyJ");
    assertThat(UpstreamErrorText.redactSecrets("x-api-key: sk-ant-api03-XYZ is not valid")).doesNotContain("XYZ");
    assertThat(UpstreamErrorText.redactSecrets("key AIzaSyA1234567890abcdefghij expired")).doesNotContain("AIza");
    assertThat(UpstreamErrorText.redactSecrets("GET /v1beta/models?key=topsecret123&alt=sse"))
        .doesNotContain("topsecret123").contains("alt=sse");
  }

  @Test
  @DisplayName("the client's text names no URL, host, IP address or port, and no Java class")
  void addressesAreRemovedForClients() {
    String client = UpstreamErrorText.forClient("Connection refused: /127.0.0.1:27080 via "
        + "http://llm-backend.svc.cluster.local:8443/v1?token=x and [fd00::1]:443, proxy.internal:3128, "
        + "localhost:9000 (io.netty.channel.AbstractChannel$AnnotatedConnectException: boom)");
    assertThat(client).doesNotContain("127.0.0.1").doesNotContain("27080").doesNotContain("llm-backend")
        .doesNotContain("8443").doesNotContain("fd00").doesNotContain("proxy.internal").doesNotContain("3128")
        .doesNotContain("localhost").doesNotContain("9000").doesNotContain("io.netty").doesNotContain("token")
        .contains("Connection refused");
  }

  @Test
  @DisplayName("what the customer needs stays: the provider's explanation, model names, numbers")
  void theExplanationStays() {
    String context = "This model's maximum context length is 128000 tokens. However, your messages resulted in"
        + " 130512 tokens. Please reduce the length of the messages.";
    assertThat(UpstreamErrorText.forClient(context)).isEqualTo(context);
    assertThat(UpstreamErrorText.forClient("model gemini-1.5-pro does not support tools"))
        .isEqualTo("model gemini-1.5-pro does not support tools");
  }

  @Test
  @DisplayName("control characters are flattened and the text is capped")
  void cappedAndFlat() {
    String client = UpstreamErrorText.forClient("line one\nline\u0000two " + "x".repeat(5_000));
    assertThat(client).hasSize(UpstreamErrorText.MAX_CLIENT_CHARS).doesNotContain("\n").doesNotContain("\u0000");
    assertThat(UpstreamErrorText.forClient(null)).isNotBlank();
  }

  @Test
  @DisplayName("an upstream error keeps its code and type; its message is redacted on construction, and a "
      + "transport failure tells the client its own words while the log keeps the address")
  void upstreamErrorCarriesBothTexts() {
    UpstreamError rejected = UpstreamError.fromStatus(401, "invalid_request_error", "invalid_api_key",
        "Incorrect API key provided: sk-abc*****wxyz.");
    assertThat(rejected.code()).isEqualTo("invalid_api_key");
    assertThat(rejected.type()).isEqualTo("invalid_request_error");
    assertThat(rejected.message()).doesNotContain("wxyz");

    UpstreamError refused = UpstreamError.transport("channel 'x' could not be reached",
        "Connection refused: /127.0.0.1:27080");
    assertThat(refused.clientMessage()).isEqualTo("channel 'x' could not be reached");
    assertThat(refused.message()).contains("127.0.0.1:27080");
  }
}
