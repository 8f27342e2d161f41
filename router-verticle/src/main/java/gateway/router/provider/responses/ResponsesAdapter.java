package gateway.router.provider.responses;

import gateway.router.provider.ChannelHeaders;
import gateway.router.provider.openai.OpenAiErrors;
import gateway.router.provider.openai.OpenAiPassThrough;
import gateway.common.bus.Route;
import gateway.router.provider.ApiFormat;
import gateway.router.provider.Completion;
import gateway.router.provider.OperatorBilledFeatures;
import gateway.router.provider.PassThrough;
import gateway.router.provider.ProviderAdapter;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI channels with {@code wire_api: responses}: {@code POST {base_url}/responses}. Responses
 * clients pass through untranslated; chat (and Messages) clients are translated to and from it.
 * Every Responses stream reports its usage in its final event, so nothing needs asking for.
 */
public final class ResponsesAdapter implements ProviderAdapter {
  private static final PassThrough RESPONSES = new ResponsesPassThrough();
  private static final PassThrough EMBEDDINGS = new OpenAiPassThrough();

  @Override
  public UpstreamRequest chatRequest(JsonObject openAiRequest, Route route, boolean stream) {
    JsonObject body = ResponsesRequest.from(openAiRequest, stream);
    OperatorBilledFeatures.checkResponses(body, route.channel());
    return new UpstreamRequest(route.channel().baseUrl() + ResponsesPassThrough.PATH,
        ChannelHeaders.of(route.channel(), stream), body.toBuffer());
  }

  @Override
  public Completion completion(Buffer body) {
    return ResponsesResponse.completion(body);
  }

  @Override
  public StreamTranslator streamTranslator() {
    return new ResponsesStream();
  }

  @Override
  public UpstreamError error(int status, Buffer body) {
    return OpenAiErrors.read(status, body);
  }

  @Override
  public PassThrough passThrough(ApiFormat format, Route route) {
    return switch (format) {
      case RESPONSES -> RESPONSES;
      case EMBEDDINGS -> EMBEDDINGS;
      default -> null;
    };
  }
}
