package gateway.router.inbound.messages;

import gateway.router.provider.Json;
import gateway.router.exchange.ChunkWriter;
import gateway.router.inbound.chat.OpenAiChunkWriter;
import gateway.router.exchange.Priced;
import gateway.router.inbound.SseFrames;
import gateway.router.provider.UpstreamError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * OpenAI chat chunks written as an Anthropic Messages stream: {@code message_start} when the answer
 * begins, one content block per run of text and per tool call ({@code content_block_start}, its
 * deltas, {@code content_block_stop}), then {@code message_delta} with the stop reason and the
 * whole usage (and {@code cost}), and {@code message_stop}. A provider failing after content ends
 * the stream with Anthropic's {@code event: error} and no {@code message_stop}.
 *
 * <p>{@code message_start} carries the prompt's tokens as the gateway counts them (Claude Code sizes
 * its context from it); the provider's own count comes in the final {@code message_delta}. Events are
 * held until that count is ready, which it nearly always is by the first content.
 *
 * <p>Tool calls are assumed to stream one after the other, as every translator here emits them:
 * a block, once stopped, cannot take more deltas.
 */
final class ChatToMessagesStream implements ChunkWriter {
  private static final int CHOICE = 0;

  private final HttpServerResponse out;
  private final String alias;
  private final Future<Long> promptTokens;
  /** Events written before the prompt count was ready, in order; null once they are out. */
  private List<Buffer> held = new ArrayList<>();
  private boolean endHeld;
  private final String messageId = "msg_" + UUID.randomUUID().toString().replace("-", "");
  /** Chat tool-call index → its content block. */
  private final Map<Integer, Integer> blockOfToolCall = new HashMap<>();
  private int nextBlock;
  private Integer openBlock;
  private boolean openIsText;
  private String stopReason;

  /** @param promptTokens the gateway's count of the request's prompt tokens, for {@code message_start} */
  ChatToMessagesStream(HttpServerResponse out, String alias, Future<Long> promptTokens) {
    this.out = out;
    this.alias = alias;
    this.promptTokens = promptTokens;
  }

  @Override
  public void begin() {
    OpenAiChunkWriter.beginEventStream(out);
    promptTokens.onComplete(counted -> {
      long input = counted.succeeded() && counted.result() != null ? counted.result() : 0;
      List<Buffer> before = held;
      held = null;
      send(SseFrames.event(new JsonObject().put("type", "message_start").put("message", new JsonObject()
          .put("id", messageId)
          .put("type", "message")
          .put("role", "assistant")
          .put("model", alias)
          .put("content", new JsonArray())
          .putNull("stop_reason")
          .putNull("stop_sequence")
          .put("usage", new JsonObject().put("input_tokens", input).put("output_tokens", 0)))));
      before.forEach(this::send);
      if (endHeld) {
        end();
      }
    });
  }

  @Override
  public void chunk(JsonObject chunk) {
    for (Object item : Json.array(chunk, "choices")) {
      if (!(item instanceof JsonObject choice) || Json.intAt(choice, "index", 0) != CHOICE) {
        continue;
      }
      JsonObject delta = Json.object(choice, "delta");
      text(delta.getValue("content"));
      text(delta.getValue("refusal"));
      for (Object call : Json.array(delta, "tool_calls")) {
        if (call instanceof JsonObject toolCall) {
          toolCall(toolCall);
        }
      }
      if (choice.getValue("finish_reason") != null) {
        stopReason = ChatToMessagesResponse.stopReason(choice.getValue("finish_reason"));
      }
    }
  }

  @Override
  public void complete(Priced priced, JsonObject upstreamUsage) {
    closeOpenBlock();
    write(new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", stopReason != null ? stopReason : "end_turn")
            .putNull("stop_sequence"))
        .put("usage", ChatToMessagesResponse.usage(priced)));
    write(new JsonObject().put("type", "message_stop"));
    end();
  }

  @Override
  public void fail(UpstreamError error) {
    write(MessagesProtocol.errorEvent(error));
    end();
  }

  private void text(Object value) {
    if (!(value instanceof String text) || text.isEmpty()) {
      return;
    }
    if (openBlock == null || !openIsText) {
      closeOpenBlock();
      openBlock(new JsonObject().put("type", "text").put("text", ""), true);
    }
    write(blockDelta(new JsonObject().put("type", "text_delta").put("text", text)));
  }

  private void toolCall(JsonObject call) {
    int index = Json.intAt(call, "index", 0);
    JsonObject function = Json.object(call, "function");
    Integer block = blockOfToolCall.get(index);
    if (block == null) {
      closeOpenBlock();
      block = openBlock(ChatToMessagesResponse.toolUse(Json.string(call, "id", null), Json.string(function, "name", null), null)
          .put("input", new JsonObject()), false);
      blockOfToolCall.put(index, block);
    }
    String fragment = Json.string(function, "arguments", "");
    if (!fragment.isEmpty() && block.equals(openBlock)) {
      write(blockDelta(new JsonObject().put("type", "input_json_delta").put("partial_json", fragment)));
    }
  }

  private int openBlock(JsonObject contentBlock, boolean text) {
    openBlock = nextBlock++;
    openIsText = text;
    write(new JsonObject().put("type", "content_block_start").put("index", openBlock)
        .put("content_block", contentBlock));
    return openBlock;
  }

  private void closeOpenBlock() {
    if (openBlock != null) {
      write(new JsonObject().put("type", "content_block_stop").put("index", openBlock));
      openBlock = null;
    }
  }

  private JsonObject blockDelta(JsonObject delta) {
    return new JsonObject().put("type", "content_block_delta").put("index", openBlock).put("delta", delta);
  }

  private void write(JsonObject event) {
    Buffer frame = SseFrames.event(event);
    if (held != null) {
      held.add(frame);
    } else {
      send(frame);
    }
  }

  private void send(Buffer frame) {
    if (!out.closed() && !out.ended()) {
      out.write(frame);
    }
  }

  private void end() {
    if (held != null) {
      endHeld = true;
    } else if (!out.closed() && !out.ended()) {
      out.end();
    }
  }
}
