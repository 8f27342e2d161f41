package gateway.router.provider.gemini;

import gateway.common.money.Usage;
import gateway.router.provider.Completion;
import gateway.router.provider.Json;
import gateway.router.provider.chatshape.ChatUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A Gemini {@code GenerateContentResponse} as an OpenAI {@code chat.completion}, one choice per
 * candidate: text parts joined into the content, thought parts as {@code reasoning_content},
 * function calls as tool calls. A refused prompt (no candidates, a {@code blockReason}) and a
 * candidate stopped for safety are normal answers with finish reason {@code content_filter} and
 * empty content, as OpenAI answers them, not errors.
 */
final class GeminiResponse {

  private GeminiResponse() {
  }

  static Completion completion(Buffer raw) {
    JsonObject response = Json.objectOrNull(raw);
    if (response == null || !(response.getValue("candidates") instanceof JsonArray || isPromptBlocked(response))) {
      throw new IllegalArgumentException("not a Gemini GenerateContentResponse: " + Json.quote(raw));
    }
    JsonArray choices = new JsonArray();
    JsonArray candidates = response.getJsonArray("candidates", new JsonArray());
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.getValue(i) instanceof JsonObject candidate) {
        choices.add(choice(candidate, candidate.getInteger("index", i)));
      }
    }
    if (choices.isEmpty()) {
      choices.add(choice(0, message(new StringBuilder(), new StringBuilder(), new JsonArray()),
          GeminiFinishReasons.promptBlocked()));
    }
    JsonObject body = new JsonObject()
        .put("id", completionId(response))
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", response.getString("modelVersion"))
        .put("choices", choices);
    Usage usage = GeminiUsage.from(response.getJsonObject("usageMetadata"));
    if (usage != null) {
      body.put("usage", ChatUsage.toChat(usage));
    }
    return new Completion(body, usage);
  }

  static boolean isPromptBlocked(JsonObject response) {
    return response.getValue("promptFeedback") instanceof JsonObject feedback
        && feedback.getValue("blockReason") != null
        && !(response.getValue("candidates") instanceof JsonArray c && !c.isEmpty());
  }

  static String completionId(JsonObject response) {
    String responseId = response.getString("responseId");
    return "chatcmpl-" + (responseId != null ? responseId : UUID.randomUUID().toString());
  }

  /** A part is thinking when it says so ({@code "thought": true}, sent when thoughts are included). */
  static boolean isThought(JsonObject part) {
    return Boolean.TRUE.equals(part.getValue("thought"));
  }

  private static JsonObject choice(JsonObject candidate, int index) {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    JsonArray toolCalls = new JsonArray();
    JsonObject content = candidate.getJsonObject("content", new JsonObject());
    for (Object item : content.getJsonArray("parts", new JsonArray())) {
      if (!(item instanceof JsonObject part)) {
        continue;
      }
      if (part.getValue("functionCall") instanceof JsonObject call) {
        toolCalls.add(new JsonObject()
            .put("id", GeminiToolCallIds.of(call))
            .put("type", "function")
            .put("function", new JsonObject()
                .put("name", call.getString("name"))
                .put("arguments", call.getJsonObject("args", new JsonObject()).encode())));
      } else if (part.getValue("text") instanceof String s) {
        (isThought(part) ? reasoning : text).append(s);
      }
    }
    String finishReason = GeminiFinishReasons.toOpenAi(candidate.getString("finishReason"), !toolCalls.isEmpty());
    return choice(index, message(text, reasoning, toolCalls), finishReason);
  }

  private static JsonObject message(StringBuilder text, StringBuilder reasoning, JsonArray toolCalls) {
    JsonObject message = new JsonObject()
        .put("role", "assistant")
        .put("content", text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString())
        .putNull("refusal");
    if (!toolCalls.isEmpty()) {
      message.put("tool_calls", toolCalls);
    }
    if (!reasoning.isEmpty()) {
      message.put("reasoning_content", reasoning.toString());
    }
    return message;
  }

  private static JsonObject choice(int index, JsonObject message, String finishReason) {
    return new JsonObject()
        .put("index", index)
        .put("message", message)
        .putNull("logprobs")
        .put("finish_reason", finishReason);
  }
}
