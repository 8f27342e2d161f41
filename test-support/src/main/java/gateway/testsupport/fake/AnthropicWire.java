package gateway.testsupport.fake;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic Messages ({@code POST /v1/messages}): requires {@code x-api-key} (when a key is expected),
 * {@code anthropic-version}, {@code model}, {@code max_tokens} and {@code messages}. Stream: {@code message_start},
 * per content block {@code content_block_start}/{@code _delta}/{@code _stop} (text first, then each
 * {@code tool_use} with {@code input_json_delta} fragments), one {@code ping} after the first block start,
 * {@code message_delta} with the cumulative {@code output_tokens}, {@code message_stop}.
 */
final class AnthropicWire implements Wire {

  static final String PROTOCOL = "anthropic";
  private static final String CONTENT_TYPE = "application/json";
  private static final String STREAM_CONTENT_TYPE = "text/event-stream; charset=utf-8";
  private static final Buffer PING = Sse.constant("event: ping\ndata: {\"type\": \"ping\"}\n\n");
  private static final Buffer MESSAGE_STOP = Sse.constant("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

  @Override
  public String protocol() {
    return PROTOCOL;
  }

  @Override
  public ErrorResponse checkApiKey(MultiMap headers, String query, String expectedKey) {
    String presented = headers.get("x-api-key");
    if (presented == null) {
      return error(401, "x-api-key header is required");
    }
    return presented.equals(expectedKey) ? null : error(401, "invalid x-api-key");
  }

  @Override
  public ErrorResponse invalidJson() {
    return error(400, "There was an error parsing the body of your request as JSON");
  }

  @Override
  public ErrorResponse validate(MultiMap headers, JsonObject body, boolean stream) {
    if (headers.get("anthropic-version") == null) {
      return error(400, "anthropic-version: header is required");
    }
    if (JsonFields.string(body, "model") == null) {
      return error(400, "model: Field required");
    }
    if (!(body.getValue("max_tokens") instanceof Number)) {
      return error(400, "max_tokens: Field required");
    }
    if (JsonFields.array(body, "messages") == null) {
      return error(400, "messages: Field required");
    }
    return null;
  }

  @Override
  public ErrorResponse error(int status, String message) {
    return ErrorResponse.json(status, errorBody(errorType(status), message)
        .put("request_id", Ids.base62("req_011C", 20)));
  }

  @Override
  public ErrorResponse streamRequired() {
    return error(400, "stream must be true");
  }

  static String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  private static JsonObject errorBody(String type, String message) {
    return new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message));
  }

  @Override
  public long promptChars(JsonObject body) {
    long chars = JsonFields.contentLength(body.getValue("system"));
    JsonArray messages = JsonFields.array(body, "messages");
    if (messages != null) {
      for (Object message : messages) {
        if (message instanceof JsonObject m) {
          chars += contentChars(m.getValue("content"));
        }
      }
    }
    return chars;
  }

  private static long contentChars(Object content) {
    if (!(content instanceof JsonArray blocks)) {
      return JsonFields.contentLength(content);
    }
    long chars = 0;
    for (Object block : blocks) {
      if (block instanceof JsonObject b) {
        chars += JsonFields.textLength(b.getValue("text")) + JsonFields.contentLength(b.getValue("content"));
      }
    }
    return chars;
  }

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public Buffer body(Reply reply) {
    JsonArray content = new JsonArray();
    if (reply.hasText()) {
      content.add(new JsonObject().put("type", "text").put("text", reply.text));
    }
    for (Behavior.ToolCall call : reply.toolCalls) {
      content.add(toolUse(call, call.arguments().copy()));
    }
    JsonObject message = message(reply, content)
        .put("stop_reason", stopReason(reply))
        .put("stop_sequence", stopSequence(reply));
    if (reply.usage) {
      message.put("usage", usage(reply, reply.completionTokens));
    }
    return message.toBuffer();
  }

  @Override
  public StreamPlan stream(Reply reply) {
    StreamPlan plan = new StreamPlan(STREAM_CONTENT_TYPE);
    JsonObject start = message(reply, new JsonArray()).put("stop_reason", null).put("stop_sequence", null);
    if (reply.usage) {
      start.put("usage", usage(reply, 1));
    }
    plan.frame(Sse.event("message_start", new JsonObject().put("type", "message_start").put("message", start)));

    int index = 0;
    if (reply.hasText()) {
      blockStart(plan, index, new JsonObject().put("type", "text").put("text", ""));
      for (String piece : reply.textDeltas()) {
        blockDelta(plan, index, new JsonObject().put("type", "text_delta").put("text", piece));
      }
      blockStop(plan, index++);
    }
    for (Behavior.ToolCall call : reply.toolCalls) {
      blockStart(plan, index, toolUse(call, new JsonObject()));
      blockDelta(plan, index, new JsonObject().put("type", "input_json_delta").put("partial_json", ""));
      for (String fragment : Deltas.argumentFragments(call.argumentsJson())) {
        blockDelta(plan, index, new JsonObject().put("type", "input_json_delta").put("partial_json", fragment));
      }
      blockStop(plan, index++);
    }
    if (index == 0) {
      plan.frame(PING);
    }

    plan.finishHere();
    JsonObject delta = new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", stopReason(reply)).put("stop_sequence", stopSequence(reply)));
    if (reply.usage) {
      delta.put("usage", new JsonObject().put("output_tokens", reply.completionTokens));
    }
    plan.frame(Sse.event("message_delta", delta));
    plan.frame(MESSAGE_STOP);
    return plan.onError((message, written) -> Sse.event("error", errorBody("overloaded_error", message)));
  }

  private static void blockStart(StreamPlan plan, int index, JsonObject block) {
    plan.frame(Sse.event("content_block_start", new JsonObject()
        .put("type", "content_block_start").put("index", index).put("content_block", block)));
    if (index == 0) {
      plan.frame(PING);
    }
  }

  private static void blockDelta(StreamPlan plan, int index, JsonObject delta) {
    plan.content(Sse.event("content_block_delta", new JsonObject()
        .put("type", "content_block_delta").put("index", index).put("delta", delta)));
  }

  private static void blockStop(StreamPlan plan, int index) {
    plan.frame(Sse.event("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", index)));
  }

  private static JsonObject message(Reply reply, JsonArray content) {
    return new JsonObject()
        .put("id", Ids.base62("msg_01", 22))
        .put("type", "message")
        .put("role", "assistant")
        .put("model", reply.model)
        .put("content", content);
  }

  private static JsonObject toolUse(Behavior.ToolCall call, JsonObject input) {
    return new JsonObject()
        .put("type", "tool_use")
        .put("id", Ids.base62("toolu_01", 22))
        .put("name", call.name())
        .put("input", input);
  }

  private static JsonObject usage(Reply reply, long outputTokens) {
    long input = Math.max(0, reply.promptTokens - reply.cacheReadTokens - reply.cacheWriteTokens);
    return new JsonObject()
        .put("input_tokens", input)
        .put("cache_creation_input_tokens", reply.cacheWriteTokens)
        .put("cache_read_input_tokens", reply.cacheReadTokens)
        .put("cache_creation", new JsonObject()
            .put("ephemeral_5m_input_tokens", reply.cacheWriteTokens)
            .put("ephemeral_1h_input_tokens", 0))
        .put("output_tokens", outputTokens)
        .put("service_tier", "standard");
  }

  static String stopReason(Reply reply) {
    return switch (reply.finishReason) {
      case "stop" -> "end_turn";
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> reply.finishReason;
    };
  }

  private static String stopSequence(Reply reply) {
    if (!"stop_sequence".equals(reply.finishReason)) {
      return null;
    }
    JsonArray sequences = JsonFields.array(reply.request, "stop_sequences");
    return sequences != null && !sequences.isEmpty() && sequences.getValue(0) instanceof String s ? s : "";
  }
}
