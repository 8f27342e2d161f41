package gateway.router.provider.anthropic;

import gateway.common.bus.Channel;
import gateway.common.bus.Route;
import gateway.router.provider.Completion;
import gateway.router.provider.ProviderAdapter;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.openai.OpenAiHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic Messages ({@code type: anthropic}): {@code POST {base_url}/messages} with the
 * channel's key in {@code x-api-key} and the API version in {@code anthropic-version}; a channel's
 * {@code settings.headers} may add more (e.g. {@code anthropic-beta}) or override the version.
 */
public final class AnthropicAdapter implements ProviderAdapter {
  static final String PATH = "/messages";
  static final String API_VERSION = "2023-06-01";

  @Override
  public UpstreamRequest chatRequest(JsonObject openAiRequest, Route route, boolean stream) {
    Channel channel = route.channel();
    JsonObject body = AnthropicRequest.from(openAiRequest, channel.settings(), stream);
    return new UpstreamRequest(channel.baseUrl() + PATH, headers(channel, stream), body.toBuffer());
  }

  @Override
  public Completion completion(Buffer body) {
    return AnthropicResponse.completion(body);
  }

  @Override
  public StreamTranslator streamTranslator() {
    return new AnthropicStream();
  }

  @Override
  public UpstreamError error(int status, Buffer body) {
    return AnthropicErrors.read(status, body);
  }

  static MultiMap headers(Channel channel, boolean stream) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("content-type", "application/json")
        .add("accept", stream ? "text/event-stream" : "application/json")
        .add("anthropic-version", API_VERSION);
    if (channel.apiKey() != null && !channel.apiKey().isEmpty()) {
      headers.add("x-api-key", channel.apiKey());
    }
    OpenAiHeaders.addChannelHeaders(channel, headers);
    return headers;
  }
}
