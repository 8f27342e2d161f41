package gateway.router.provider;

import gateway.common.bus.Route;
import gateway.router.provider.chatshape.ScannedAnswer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One wire protocol, translated to and from the OpenAI chat shape that the rest of the
 * router speaks, and relayed untranslated to clients speaking it too ({@link #passThrough}).
 * Adapters are stateless; per-stream state lives in the {@link StreamTranslator}.
 */
public interface ProviderAdapter {

  /**
   * The upstream call for an OpenAI chat request whose {@code model} is already the
   * route's upstream model. When {@code stream} is true the adapter must ask for usage in
   * the stream. The request is this attempt's own shallow copy: top-level fields may be
   * changed, nested values are shared and must not be.
   */
  UpstreamRequest chatRequest(JsonObject openAiRequest, Route route, boolean stream);

  /** A successful non-stream answer, in the OpenAI shape. */
  Completion completion(Buffer body);

  /**
   * A successful non-stream answer that is an OpenAI {@code chat.completion} as it came, read without parsing
   * it, for a client that takes it so; null when it must go to {@link #completion}.
   */
  default ScannedAnswer scanCompletion(Buffer body) {
    return null;
  }

  StreamTranslator streamTranslator();

  /** The meaning of an upstream error answer. */
  UpstreamError error(int status, Buffer body);

  /**
   * How this route relays requests of the given client format untranslated, or null when it does
   * not speak that format and the request goes through the OpenAI chat shape instead.
   */
  default PassThrough passThrough(ApiFormat format, Route route) {
    return null;
  }
}
