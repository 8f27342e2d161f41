package gateway.router.provider.openai;

import gateway.router.provider.ChannelHeaders;
import gateway.router.provider.chatshape.ChatAnswerScan;
import gateway.router.provider.chatshape.ChatUsage;
import gateway.router.provider.chatshape.ScannedAnswer;
import gateway.common.bus.Route;
import gateway.router.provider.ApiFormat;
import gateway.router.provider.Completion;
import gateway.router.provider.Json;
import gateway.router.provider.OperatorBilledFeatures;
import gateway.router.provider.PassThrough;
import gateway.router.provider.ProviderAdapter;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI Chat Completions and every host compatible with it: a pass-through. Unknown
 * request fields go upstream untouched; the only changes are the upstream model name and,
 * for streams, {@code stream_options.include_usage} so that every stream reports its usage.
 * Embeddings requests pass through to the same host's {@code /embeddings}.
 */
public final class OpenAiAdapter implements ProviderAdapter {
  static final String PATH = "/chat/completions";
  private static final PassThrough EMBEDDINGS = new OpenAiPassThrough();

  @Override
  public UpstreamRequest chatRequest(JsonObject openAiRequest, Route route, boolean stream) {
    JsonObject body = openAiRequest;
    OperatorBilledFeatures.checkOpenAiChat(body, route.channel());
    if (stream) {
      body.put("stream", true);
      JsonObject options = body.getValue("stream_options") instanceof JsonObject o ? o.copy() : new JsonObject();
      body.put("stream_options", options.put("include_usage", true));
    } else {
      body.remove("stream");
      body.remove("stream_options");
    }
    return new UpstreamRequest(route.channel().baseUrl() + PATH, ChannelHeaders.of(route.channel(), stream),
        body.toBuffer());
  }

  @Override
  public Completion completion(Buffer body) {
    JsonObject json = Json.objectOrNull(body);
    if (json == null || !(json.getValue("choices") instanceof io.vertx.core.json.JsonArray)) {
      throw new IllegalArgumentException("not a chat.completion: " + Json.quote(body));
    }
    return new Completion(json, ChatUsage.fromChat(json.getJsonObject("usage")));
  }

  @Override
  public ScannedAnswer scanCompletion(Buffer body) {
    return ChatAnswerScan.scan(body);
  }

  @Override
  public StreamTranslator streamTranslator() {
    return new OpenAiStream();
  }

  @Override
  public UpstreamError error(int status, Buffer body) {
    return OpenAiErrors.read(status, body);
  }

  /** Chat requests need no pass-through: the chat shape is this channel's own. */
  @Override
  public PassThrough passThrough(ApiFormat format, Route route) {
    return format == ApiFormat.EMBEDDINGS ? EMBEDDINGS : null;
  }
}
