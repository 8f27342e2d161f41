package gateway.router.provider.responses;

import gateway.router.provider.chatshape.ChatUsage;
import gateway.common.money.Usage;
import gateway.router.provider.Completion;
import gateway.router.provider.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * An OpenAI Responses {@code response} as an OpenAI {@code chat.completion}: output text joined into
 * the content, refusals as the refusal, {@code function_call} items as tool calls (the call id is the
 * tool call's id), reasoning summaries as {@code reasoning_content}. Output items of server-side tools
 * (web search, file search...) have no chat form and are left out.
 */
final class ResponsesResponse {

  /** {@code incomplete_details.reason} → chat finish reason. */
  private static final Map<String, String> INCOMPLETE_REASONS = Map.of(
      "max_output_tokens", "length",
      "max_tokens", "length",
      "content_filter", "content_filter");

  private ResponsesResponse() {
  }

  static Completion completion(Buffer raw) {
    JsonObject response = Json.objectOrNull(raw);
    if (response == null || !(response.getValue("output") instanceof JsonArray)) {
      throw new IllegalArgumentException("not a Responses response: " + Json.quote(raw));
    }
    return completion(response);
  }

  static Completion completion(JsonObject response) {
    StringBuilder text = new StringBuilder();
    StringBuilder refusal = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    JsonArray toolCalls = new JsonArray();
    for (Object entry : response.getJsonArray("output", new JsonArray())) {
      if (!(entry instanceof JsonObject item)) {
        continue;
      }
      switch (item.getString("type", "")) {
        case "message" -> {
          for (Object p : item.getJsonArray("content", new JsonArray())) {
            if (p instanceof JsonObject part) {
              switch (part.getString("type", "")) {
                case "output_text" -> text.append(part.getString("text", ""));
                case "refusal" -> refusal.append(part.getString("refusal", ""));
                default -> { }
              }
            }
          }
        }
        case "function_call" -> toolCalls.add(new JsonObject()
            .put("id", item.getString("call_id"))
            .put("type", "function")
            .put("function", new JsonObject()
                .put("name", item.getString("name"))
                .put("arguments", item.getString("arguments", "{}"))));
        case "reasoning" -> appendTexts(reasoning, item.getJsonArray("summary"));
        default -> { }
      }
    }
    JsonObject message = new JsonObject()
        .put("role", "assistant")
        .put("content", text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString())
        .put("refusal", refusal.isEmpty() ? null : refusal.toString());
    if (!toolCalls.isEmpty()) {
      message.put("tool_calls", toolCalls);
    }
    if (!reasoning.isEmpty()) {
      message.put("reasoning_content", reasoning.toString());
    }
    JsonObject body = new JsonObject()
        .put("id", response.getString("id"))
        .put("object", "chat.completion")
        .put("created", response.getValue("created_at") instanceof Number n ? n.longValue()
            : System.currentTimeMillis() / 1000)
        .put("model", response.getString("model"))
        .put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0)
            .put("message", message)
            .putNull("logprobs")
            .put("finish_reason", finishReason(response, !toolCalls.isEmpty()))));
    Usage usage = ResponsesUsage.from(response.getJsonObject("usage"));
    if (usage != null) {
      body.put("usage", ChatUsage.toChat(usage));
    }
    return new Completion(body, usage);
  }

  /** A finished response that called functions is chat's {@code tool_calls}; an incomplete one says why. */
  static String finishReason(JsonObject response, boolean madeToolCalls) {
    if ("incomplete".equals(response.getString("status"))) {
      String reason = response.getJsonObject("incomplete_details", new JsonObject()).getString("reason");
      return INCOMPLETE_REASONS.getOrDefault(reason, "length");
    }
    return madeToolCalls ? "tool_calls" : "stop";
  }

  private static void appendTexts(StringBuilder to, JsonArray parts) {
    if (parts == null) {
      return;
    }
    for (Object p : parts) {
      if (p instanceof JsonObject part && part.getValue("text") instanceof String s) {
        to.append(s);
      }
    }
  }
}
