package gateway.router.provider.gemini;

import gateway.common.bus.Channel;
import gateway.common.bus.Route;
import gateway.router.provider.Completion;
import gateway.router.provider.OperatorBilledFeatures;
import gateway.router.provider.ProviderAdapter;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.ChannelHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Google Gemini ({@code type: gemini}): {@code POST {base_url}/models/{model}:generateContent},
 * or {@code :streamGenerateContent?alt=sse} for a stream of server-sent events, with the channel's
 * key in {@code x-goog-api-key} (never in the URL, where logs would keep it).
 */
public final class GeminiAdapter implements ProviderAdapter {
  static final String GENERATE = ":generateContent";
  static final String STREAM = ":streamGenerateContent?alt=sse";
  private static final String MODELS = "/models/";

  @Override
  public UpstreamRequest chatRequest(JsonObject openAiRequest, Route route, boolean stream) {
    Channel channel = route.channel();
    String url = channel.baseUrl() + MODELS + modelSegment(openAiRequest.getString("model"))
        + (stream ? STREAM : GENERATE);
    JsonObject body = GeminiRequest.from(openAiRequest);
    OperatorBilledFeatures.checkGemini(body, channel);
    return new UpstreamRequest(url, headers(channel, stream), body.toBuffer());
  }

  @Override
  public Completion completion(Buffer body) {
    return GeminiResponse.completion(body);
  }

  @Override
  public StreamTranslator streamTranslator() {
    return new GeminiStream();
  }

  @Override
  public UpstreamError error(int status, Buffer body) {
    return GeminiErrors.read(status, body);
  }

  /** Model names may come as Google lists them ({@code models/gemini-2.5-flash}); the path wants the bare name. */
  static String modelSegment(String model) {
    String bare = model.startsWith("models/") ? model.substring("models/".length()) : model;
    return URLEncoder.encode(bare, StandardCharsets.UTF_8);
  }

  static MultiMap headers(Channel channel, boolean stream) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("content-type", "application/json")
        .add("accept", stream ? "text/event-stream" : "application/json");
    if (channel.apiKey() != null && !channel.apiKey().isEmpty()) {
      headers.add("x-goog-api-key", channel.apiKey());
    }
    ChannelHeaders.addChannelHeaders(channel, headers);
    return headers;
  }
}
