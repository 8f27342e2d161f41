package gateway.router.provider.chatshape;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What the stream relay needs to know of an OpenAI {@code chat.completion.chunk}. */
public final class ChatChunkAnatomy {
  private ChatChunkAnatomy() {
  }

  /** Content is anything the client would show or act on; a finish reason counts too. */
  public static boolean carriesContent(JsonObject chunk) {
    for (Object item : choices(chunk)) {
      if (!(item instanceof JsonObject choice)) {
        continue;
      }
      if (choice.getValue("finish_reason") != null) {
        return true;
      }
      if (!(choice.getValue("delta") instanceof JsonObject delta)) {
        continue;
      }
      if (nonEmpty(delta.getValue("content")) || nonEmpty(delta.getValue("reasoning_content"))
          || nonEmpty(delta.getValue("refusal")) || delta.getValue("tool_calls") != null
          || delta.getValue("function_call") != null) {
        return true;
      }
    }
    return false;
  }

  /** Every chunk with choices; the usage-only chunk (no choices) is the writer's to send, priced, at the end. */
  public static boolean reachesClient(JsonObject chunk) {
    return chunk.getValue("choices") instanceof JsonArray choices && !choices.isEmpty();
  }

  public static void appendOutput(JsonObject chunk, StringBuilder output) {
    for (Object item : choices(chunk)) {
      if (item instanceof JsonObject choice && choice.getValue("delta") instanceof JsonObject delta) {
        append(output, delta.getValue("content"));
        append(output, delta.getValue("reasoning_content"));
        append(output, delta.getValue("refusal"));
        if (delta.getValue("tool_calls") instanceof JsonArray calls) {
          for (Object c : calls) {
            if (c instanceof JsonObject call && call.getValue("function") instanceof JsonObject function) {
              append(output, function.getValue("name"));
              append(output, function.getValue("arguments"));
            }
          }
        }
      }
    }
  }

  /** The chunk's choices; none when the provider sent no array (null, a number: hostile bytes are read, not trusted). */
  private static JsonArray choices(JsonObject chunk) {
    return chunk.getValue("choices") instanceof JsonArray choices ? choices : new JsonArray();
  }

  private static boolean nonEmpty(Object value) {
    return value instanceof String s && !s.isEmpty();
  }

  private static void append(StringBuilder output, Object value) {
    if (value instanceof String s) {
      output.append(s);
    }
  }
}
