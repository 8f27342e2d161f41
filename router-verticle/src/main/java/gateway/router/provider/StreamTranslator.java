package gateway.router.provider;

import gateway.common.money.Usage;
import gateway.router.sse.SseEvent;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Turns one upstream stream, event by event, into OpenAI {@code chat.completion.chunk}
 * objects. Holds that stream's state (tool-call numbering, usage so far).
 */
public interface StreamTranslator {

  /** Translates one upstream event; emits zero or more OpenAI chunks. */
  void accept(SseEvent event, Consumer<JsonObject> chunks);

  /** The provider's terminal event arrived ({@code [DONE]}, {@code message_stop}, ...). */
  boolean completed();

  /** Usage reported so far, normalized; null when the provider sent none. */
  Usage usage();

  /** An error the provider reported inside the stream, or null. */
  UpstreamError error();
}
