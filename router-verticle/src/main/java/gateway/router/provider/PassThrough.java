package gateway.router.provider;

import gateway.common.bus.Route;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A route that speaks the client's own format: the client's body goes upstream as the client wrote
 * it (only {@code model} names the route's upstream model), and the provider's answer and events
 * come back unchanged, read only for billing. Nothing of the provider's format is lost: thinking
 * blocks and their signatures, cache breakpoints, server-side tool results, fields added later.
 */
public interface PassThrough {

  /**
   * The upstream call.
   *
   * @param clientBody    the client's body with {@code model} already set to the upstream model
   * @param stream        whether to ask for a stream (the client's choice, or the channel's when it only streams)
   * @param clientHeaders the client's headers the format forwards (e.g. {@code anthropic-beta})
   */
  UpstreamRequest request(JsonObject clientBody, Route route, boolean stream, Map<String, String> clientHeaders);

  /** A whole answer, unchanged, and its normalized usage (null when the provider reported none). */
  Completion completion(Buffer body);

  /** Reads the provider's events and emits each as it came, as JSON with its {@code type}. */
  StreamTranslator streamTranslator();

  /** Folds the provider's events into its whole answer, for channels that only stream. */
  ChunkAggregator aggregator();

  /** The generated text of a whole answer, counted when the provider reported no usage. */
  CharSequence outputText(JsonObject answer);
}
