package gateway.router.provider;

import gateway.common.money.Usage;
import gateway.router.provider.chatshape.ChatChunkAnatomy;
import gateway.router.provider.chatshape.ScannedChunk;
import gateway.router.sse.SseEvent;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Turns one upstream stream, event by event, into the chunks the client's writer takes: OpenAI
 * {@code chat.completion.chunk} objects, or for a {@link PassThrough} the provider's own events.
 * Holds that stream's state (tool-call numbering, usage so far), and knows the anatomy of the
 * chunks it emits, which the relay reads; the defaults describe OpenAI chat chunks.
 */
public interface StreamTranslator {

  /** Translates one upstream event; emits zero or more OpenAI chunks. */
  void accept(SseEvent event, Consumer<JsonObject> chunks);

  /**
   * The event as an OpenAI chunk to relay as it came, read without parsing it, when it changes nothing
   * of this translator's state (no usage, no error, not the end); null when it must go to {@link #accept}.
   */
  default ScannedChunk scan(SseEvent event) {
    return null;
  }

  /** The provider's terminal event arrived ({@code [DONE]}, {@code message_stop}, ...). */
  boolean completed();

  /** Usage reported so far, normalized; null when the provider sent none. */
  Usage usage();

  /** An error the provider reported inside the stream, or null. */
  UpstreamError error();

  /**
   * Whether a chunk carries something the client shows or acts on (text, a tool call, a finish):
   * the first such chunk commits the answer to this route, so chunks before it are held back.
   */
  default boolean carriesContent(JsonObject chunk) {
    return ChatChunkAnatomy.carriesContent(chunk);
  }

  /** Whether the chunk goes to the client's writer at all; OpenAI's usage-only chunk does not. */
  default boolean reachesClient(JsonObject chunk) {
    return ChatChunkAnatomy.reachesClient(chunk);
  }

  /** Appends the generated text a chunk carries (content, reasoning, tool names and arguments). */
  default void appendOutput(JsonObject chunk, StringBuilder output) {
    ChatChunkAnatomy.appendOutput(chunk, output);
  }
}
