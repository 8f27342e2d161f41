package gateway.testsupport.fake;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/**
 * One request as the {@link FakeUpstream} received it.
 *
 * @param method   HTTP method
 * @param path     request path without the query, e.g. {@code /v1/chat/completions}
 * @param query    raw query string without {@code ?}, or null
 * @param headers  a case-insensitive copy of the request headers
 * @param body     the parsed JSON body, or null when the body was empty or not a JSON object
 * @param protocol {@code "openai-chat"}, {@code "openai-responses"}, {@code "openai-embeddings"},
 *                 {@code "anthropic"}, {@code "gemini"}, or null for an unknown path
 * @param model    the upstream model: the body's {@code model}, or for Gemini the model in the path; null if absent
 * @param stream   whether a stream was asked for ({@code "stream": true}, or Gemini's {@code :streamGenerateContent})
 */
public record RecordedRequest(String method, String path, String query, MultiMap headers, JsonObject body,
                              String protocol, String model, boolean stream) {

  /** A request header, case-insensitive. */
  public String header(String name) {
    return headers.get(name);
  }
}
