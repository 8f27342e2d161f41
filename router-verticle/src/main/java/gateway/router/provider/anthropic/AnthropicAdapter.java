package gateway.router.provider.anthropic;

import gateway.common.bus.Channel;
import gateway.common.bus.Route;
import gateway.router.provider.ApiFormat;
import gateway.router.provider.Completion;
import gateway.router.provider.PassThrough;
import gateway.router.provider.ProviderAdapter;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.ChannelHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Anthropic Messages ({@code type: anthropic}): {@code POST {base_url}/messages} with the
 * channel's key in {@code x-api-key} and the API version in {@code anthropic-version}; a channel's
 * {@code settings.headers} may add more (e.g. {@code anthropic-beta}) or override the version.
 * Messages clients pass through untranslated.
 */
public final class AnthropicAdapter implements ProviderAdapter {
  static final String PATH = "/messages";
  static final String API_VERSION = "2023-06-01";
  private static final PassThrough MESSAGES = new AnthropicPassThrough();

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

  @Override
  public PassThrough passThrough(ApiFormat format, Route route) {
    return format == ApiFormat.MESSAGES ? MESSAGES : null;
  }

  static MultiMap headers(Channel channel, boolean stream) {
    return headers(channel, stream, Map.of());
  }

  /** The channel's headers win over the ones forwarded from the client (e.g. its {@code anthropic-beta}). */
  static MultiMap headers(Channel channel, boolean stream, Map<String, String> forwarded) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("content-type", "application/json")
        .add("accept", stream ? "text/event-stream" : "application/json")
        .add("anthropic-version", API_VERSION);
    forwarded.forEach(headers::set);
    if (channel.apiKey() != null && !channel.apiKey().isEmpty()) {
      headers.set("x-api-key", channel.apiKey());
    }
    ChannelHeaders.addChannelHeaders(channel, headers);
    return headers;
  }
}
