package gateway.router.exchange;

import gateway.common.bus.Route;
import gateway.router.provider.ChunkAggregator;
import gateway.router.provider.Completion;
import gateway.router.provider.PassThrough;
import gateway.router.provider.ProviderAdapter;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.chatshape.ScannedAnswer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * How one attempt carries the call to its route and the answer back: through the OpenAI chat
 * shape, translated on each side as needed, or untouched when the route speaks the client's own
 * format. The exchange does the same with either (holds, limits, breakers, fallback, stream
 * outcomes, settlement); only what crosses the wire differs.
 */
interface Translation {

  /**
   * Untranslated when the route speaks the client's format and the endpoint relays native answers,
   * else by way of the chat shape; null when the endpoint supports neither for this route.
   */
  static Translation choose(ClientCall call, ClientProtocol protocol, ProviderAdapter adapter, Route route) {
    PassThrough passThrough = protocol instanceof NativeAnswers ? adapter.passThrough(call.format(), route) : null;
    if (passThrough != null) {
      return new PassThroughTranslation(call, (NativeAnswers) protocol, passThrough);
    }
    return protocol instanceof TranslatedAnswers translated ? new ThroughChatTranslation(call, translated, adapter)
        : null;
  }

  /**
   * The upstream call, bounded to {@code outputLimit} output tokens per answer when the client set
   * no bound (the limit that was held); a {@code GatewayException} when this route cannot carry the call.
   */
  UpstreamRequest upstreamRequest(Route route, boolean stream, int outputLimit);

  /** A whole answer from the provider, in the shape {@link #answer} takes. */
  Completion completion(Buffer body);

  /**
   * A whole answer from the provider read without parsing it, when the client may have it as it came but for
   * the alias and the cost ({@link #answer(ScannedAnswer, Priced)}); null when it must go to {@link #completion}.
   */
  default ScannedAnswer scanned(Buffer body) {
    return null;
  }

  StreamTranslator streamTranslator();

  /** Folds the chunks of {@link #streamTranslator} into the answer {@link #completion} would give. */
  ChunkAggregator aggregator();

  /** The writer of a streamed answer; only asked for calls the client wants streamed. */
  ChunkWriter streamWriter(HttpServerResponse out);

  /** The generated text of a whole answer, counted when the provider reported no usage. */
  CharSequence outputText(JsonObject answer);

  /** The whole answer for the client, named for the alias the client asked for and carrying its cost. */
  JsonObject answer(JsonObject answer, Priced priced);

  /** As {@link #answer(JsonObject, Priced)}, for an answer from {@link #scanned}: the same edits, on its text. */
  default Buffer answer(ScannedAnswer answer, Priced priced) {
    throw new IllegalStateException("this translation scans no answers");
  }
}
