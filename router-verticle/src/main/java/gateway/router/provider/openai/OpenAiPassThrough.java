package gateway.router.provider.openai;

import gateway.router.provider.ChannelHeaders;
import gateway.common.bus.Route;
import gateway.common.money.Usage;
import gateway.router.provider.ChunkAggregator;
import gateway.router.provider.Completion;
import gateway.router.provider.Json;
import gateway.router.provider.PassThrough;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * OpenAI Embeddings relayed untranslated to an OpenAI-compatible channel: {@code {base_url}/embeddings}.
 * The usage is {@code usage.prompt_tokens}, all of it input; embeddings never stream.
 */
public final class OpenAiPassThrough implements PassThrough {
  static final String PATH = "/embeddings";

  @Override
  public UpstreamRequest request(JsonObject clientBody, Route route, boolean stream, Map<String, String> clientHeaders) {
    return new UpstreamRequest(route.channel().baseUrl() + PATH, ChannelHeaders.of(route.channel(), false),
        clientBody.toBuffer());
  }

  @Override
  public Completion completion(Buffer body) {
    JsonObject answer = Json.objectOrNull(body);
    if (answer == null || !(answer.getValue("data") instanceof JsonArray)) {
      throw new IllegalArgumentException("not an embeddings list: " + Json.quote(body));
    }
    JsonObject usage = answer.getJsonObject("usage");
    return new Completion(answer, usage == null ? null : new Usage(Json.longAt(usage, "prompt_tokens"), 0, 0, 0, 0));
  }

  @Override
  public StreamTranslator streamTranslator() {
    throw new UnsupportedOperationException("embeddings never stream");
  }

  @Override
  public ChunkAggregator aggregator() {
    throw new UnsupportedOperationException("embeddings never stream");
  }

  @Override
  public CharSequence outputText(JsonObject answer) {
    return "";
  }
}
