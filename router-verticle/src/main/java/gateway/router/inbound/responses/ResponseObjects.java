package gateway.router.inbound.responses;

import gateway.common.money.Credits;
import gateway.router.exchange.Priced;
import gateway.router.provider.Json;
import gateway.router.provider.responses.ResponsesUsage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The parts of an OpenAI Responses answer the translations build: the {@code response} object
 * (echoing the request's settings as OpenAI does), its output items and usage, with ids shaped as
 * OpenAI's ({@code resp_}, {@code msg_}, {@code fc_} and hex).
 */
final class ResponseObjects {

  /** OpenAI chat {@code finish_reason} → why a response is {@code incomplete}; other reasons complete it. */
  static final Map<String, String> INCOMPLETE_REASONS = Map.of(
      "length", "max_output_tokens",
      "content_filter", "content_filter");

  private ResponseObjects() {
  }

  static String id(String prefix) {
    byte[] bytes = new byte[24];
    ThreadLocalRandom.current().nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }

  /** A response in the given status with no output yet. */
  static JsonObject response(JsonObject request, String id, long createdAt, String alias, String status) {
    // Echoes of the request, read leniently: a response must be writable whatever the request held.
    JsonObject reasoning = Json.object(request, "reasoning");
    return new JsonObject()
        .put("id", id)
        .put("object", "response")
        .put("created_at", createdAt)
        .put("status", status)
        .put("background", false)
        .putNull("error")
        .putNull("incomplete_details")
        .put("instructions", request.getValue("instructions"))
        .put("max_output_tokens", request.getValue("max_output_tokens"))
        .put("model", alias)
        .put("output", new JsonArray())
        .put("parallel_tool_calls", orDefault(request, "parallel_tool_calls", true))
        .putNull("previous_response_id")
        .put("reasoning", new JsonObject().put("effort", reasoning.getValue("effort")).putNull("summary"))
        .put("store", false)
        .put("temperature", orDefault(request, "temperature", 1.0))
        .put("text", orDefault(request, "text", new JsonObject().put("format", new JsonObject().put("type", "text"))))
        .put("tool_choice", orDefault(request, "tool_choice", "auto"))
        .put("tools", orDefault(request, "tools", new JsonArray()))
        .put("top_p", orDefault(request, "top_p", 1.0))
        .put("truncation", "disabled")
        .putNull("usage")
        .put("user", request.getValue("user"))
        .put("metadata", orDefault(request, "metadata", new JsonObject()));
  }

  /** The request's value, or the default when it is absent or null (as OpenAI echoes an unset field). */
  private static Object orDefault(JsonObject request, String field, Object fallback) {
    Object value = request.getValue(field);
    return value != null ? value : fallback;
  }

  /** Sets the final status from the chat finish reason, and the usage with its cost. */
  static JsonObject finish(JsonObject response, Object finishReason, Priced priced) {
    String incomplete = finishReason instanceof String reason ? INCOMPLETE_REASONS.get(reason) : null;
    response.put("status", incomplete == null ? "completed" : "incomplete");
    if (incomplete != null) {
      response.put("incomplete_details", new JsonObject().put("reason", incomplete));
    }
    return response.put("usage", usage(priced));
  }

  static JsonObject usage(Priced priced) {
    return ResponsesUsage.toResponses(priced.usage()).put("cost", Credits.fromMicros(priced.costMicros()));
  }

  static JsonObject message(String id, String status, String text) {
    JsonArray content = new JsonArray();
    if (text != null) {
      content.add(outputText(text));
    }
    return new JsonObject().put("id", id).put("type", "message").put("status", status).put("content", content)
        .put("role", "assistant");
  }

  static JsonObject outputText(String text) {
    return new JsonObject().put("type", "output_text").put("annotations", new JsonArray())
        .put("logprobs", new JsonArray()).put("text", text);
  }

  static JsonObject functionCall(String id, String status, String callId, String name, String arguments) {
    return new JsonObject().put("id", id).put("type", "function_call").put("status", status)
        .put("arguments", arguments).put("call_id", callId).put("name", name);
  }
}
