package gateway.router.exchange;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many prompt tokens a request can be at most, read from its size in any client format
 * (chat, Responses, Messages, embeddings) without a tokenizer.
 *
 * <ul>
 *   <li>Text: every byte of every key and value, halved. Tokenizers average 3 to 4 bytes a token
 *       on English and about 3 on CJK text, so half a token per byte (JSON syntax and keys
 *       included) is well above what any provider counts.</li>
 *   <li>An image, inline or by URL or file id: {@value #IMAGE_TOKENS} tokens, more than any
 *       provider we route to charges for one image; its bytes are not counted.</li>
 *   <li>Audio, video, files and documents (a PDF's pages are priced as text and images, so its
 *       bytes say little), stored prompts and responses, conversations and item references, and
 *       server tools whose results the provider adds to the prompt: the prompt is {@link #elsewhere}
 *       and only the model's context window bounds it.</li>
 * </ul>
 * Iterative (an explicit stack): a hostile body nested thousands deep cannot overflow the stack.
 */
record PromptSize(long tokens, boolean elsewhere) {
  static final int IMAGE_TOKENS = 5_000;

  private static final Set<String> IMAGE_TYPES = Set.of("image_url", "input_image", "image");
  private static final Set<String> ELSEWHERE_TYPES = Set.of("input_audio", "audio", "input_file", "file",
      "document", "video", "video_url", "input_video", "container_upload", "item_reference", "mcp_tool_use");
  /** Top-level fields whose content lives at the provider (Responses' stored state). */
  private static final Set<String> STORED_CONTEXT = Set.of("previous_response_id", "conversation", "prompt");
  /**
   * Tool types the client runs itself (its results come back in the next request, counted then);
   * every other typed tool (web search, web fetch, file search, code execution or interpreter, MCP,
   * image generation...) runs at the provider, whose results join the prompt unseen.
   */
  private static final List<String> CLIENT_RUN_TOOL_PREFIXES = List.of("function", "custom", "computer", "bash",
      "text_editor", "memory", "local_shell", "shell", "apply_patch");

  static PromptSize of(JsonObject body) {
    boolean elsewhere = STORED_CONTEXT.stream().anyMatch(field -> body.getValue(field) != null)
        || body.getValue("mcp_servers") != null || hasServerTools(body.getValue("tools"));
    long bytes = 0;
    long images = 0;
    Deque<Object> pending = new ArrayDeque<>();
    pending.push(body);
    while (!pending.isEmpty()) {
      Object value = pending.pop();
      if (value instanceof JsonObject object) {
        Object type = object.getValue("type");
        if (type instanceof String t && IMAGE_TYPES.contains(t)) {
          images++;
          continue;
        }
        if (type instanceof String t && ELSEWHERE_TYPES.contains(t)) {
          elsewhere = true;
          continue;
        }
        for (Map.Entry<String, Object> field : object) {
          bytes += utf8Length(field.getKey()) + 3;
          pending.push(field.getValue() == null ? "null" : field.getValue());
        }
      } else if (value instanceof JsonArray array) {
        bytes += 2;
        array.forEach(item -> pending.push(item == null ? "null" : item));
      } else if (value instanceof String text) {
        bytes += utf8Length(text) + 2;
      } else {
        bytes += String.valueOf(value).length();
      }
    }
    return new PromptSize((bytes + 1) / 2 + images * IMAGE_TOKENS, elsewhere);
  }

  /** Anthropic's server tools (web search, web fetch, code execution...) and Responses' built-in tools. */
  private static boolean hasServerTools(Object tools) {
    if (!(tools instanceof JsonArray list)) {
      return false;
    }
    for (Object tool : list) {
      if (tool instanceof JsonObject t && t.getValue("type") instanceof String type
          && CLIENT_RUN_TOOL_PREFIXES.stream().noneMatch(type::startsWith)) {
        return true;
      }
    }
    return false;
  }

  private static long utf8Length(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return text.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return text.length();
  }
}
