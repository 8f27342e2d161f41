package gateway.router.e2e;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import java.time.Duration;

/** The official Anthropic SDK pointed at the gateway, as Claude Code or an application would point it. */
final class AnthropicSdk {
  private AnthropicSdk() {
  }

  /**
   * The SDK appends {@code /v1/messages} itself, so its base URL is the gateway's root; its key goes
   * in {@code x-api-key}.
   */
  static AnthropicClient client(GatewayUnderTest gateway, String key) {
    return AnthropicOkHttpClient.builder()
        .baseUrl(gateway.baseUrl())
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }
}
