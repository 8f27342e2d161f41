package gateway.router.exchange;

import gateway.common.bus.Route;
import gateway.router.provider.ChunkAggregator;
import gateway.router.provider.Completion;
import gateway.router.provider.PassThrough;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The client's own call goes to a route speaking its format, and the provider's answer comes
 * back as it was sent: the pass-through reads it only for usage, the client's protocol sets the
 * alias and the cost.
 */
final class PassThroughTranslation implements Translation {
  private final ClientCall call;
  private final NativeAnswers protocol;
  private final PassThrough passThrough;

  PassThroughTranslation(ClientCall call, NativeAnswers protocol, PassThrough passThrough) {
    this.call = call;
    this.protocol = protocol;
    this.passThrough = passThrough;
  }

  @Override
  public UpstreamRequest upstreamRequest(Route route, boolean stream, int outputLimit) {
    JsonObject body = call.format().withOutputLimit(call.forUpstream(route.upstreamModel()), outputLimit);
    return passThrough.request(body, route, stream, call.forwardedHeaders());
  }

  @Override
  public Completion completion(Buffer body) {
    return passThrough.completion(body);
  }

  @Override
  public StreamTranslator streamTranslator() {
    return passThrough.streamTranslator();
  }

  @Override
  public ChunkAggregator aggregator() {
    return passThrough.aggregator();
  }

  @Override
  public ChunkWriter streamWriter(HttpServerResponse out) {
    if (!(protocol instanceof NativeStreams streams)) {
      throw new IllegalStateException(call.format() + " answers never stream");
    }
    return streams.nativeStreamWriter(out);
  }

  @Override
  public CharSequence outputText(JsonObject answer) {
    return passThrough.outputText(answer);
  }

  @Override
  public JsonObject answer(JsonObject answer, Priced priced) {
    return protocol.nativeAnswer(answer, priced);
  }
}
