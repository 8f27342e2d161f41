package gateway.router.chat;

import gateway.router.provider.ApiFormat;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The request as the client wrote it, in its own format: what a route speaking that format
 * receives, untranslated.
 *
 * @param forwardedHeaders client headers the format carries upstream on a pass-through (e.g. {@code anthropic-beta})
 * @param chatGap          why the OpenAI chat translation cannot carry this request, so that only a
 *                         route speaking the client's format can serve it; null when it can
 */
public record ClientRequest(ApiFormat format, JsonObject body, Map<String, String> forwardedHeaders, String chatGap) {

  public ClientRequest {
    forwardedHeaders = Map.copyOf(forwardedHeaders);
  }

  /** A chat completions request, which is its own chat translation. */
  public static ClientRequest chat(JsonObject body) {
    return new ClientRequest(ApiFormat.CHAT_COMPLETIONS, body, Map.of(), null);
  }

  /** The body to send to a route speaking the client's format: a copy naming the route's upstream model. */
  public JsonObject forUpstream(String upstreamModel) {
    return body.copy().put("model", upstreamModel);
  }
}
