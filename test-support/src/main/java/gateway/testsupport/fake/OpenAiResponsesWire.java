package gateway.testsupport.fake;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI Responses ({@code POST /v1/responses}): a {@code response} object, or the semantic event stream
 * ({@code response.created} ... {@code response.completed}) with {@code sequence_number}s and no {@code [DONE]}.
 * With reasoning tokens the output starts with a {@code reasoning} item, as reasoning models answer. Finish reason
 * {@code length}/{@code content_filter} gives status {@code incomplete} and a final {@code response.incomplete}.
 */
final class OpenAiResponsesWire implements OpenAiWire {

  static final String PROTOCOL = "openai-responses";
  private static final String CONTENT_TYPE = "application/json";
  private static final String STREAM_CONTENT_TYPE = "text/event-stream; charset=utf-8";

  @Override
  public String protocol() {
    return PROTOCOL;
  }



  @Override
  public ErrorResponse validate(MultiMap headers, JsonObject body, boolean stream) {
    return JsonFields.string(body, "model") == null ? OpenAiErrors.missingParameter("model") : null;
  }



  @Override
  public long promptChars(JsonObject body) {
    long chars = JsonFields.textLength(body.getValue("instructions"));
    Object input = body.getValue("input");
    if (input instanceof String s) {
      return chars + s.length();
    }
    if (input instanceof JsonArray items) {
      for (Object item : items) {
        if (item instanceof JsonObject i) {
          chars += JsonFields.contentLength(i.getValue("content")) + JsonFields.textLength(i.getValue("output"));
        }
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
    Items items = new Items(reply);
    JsonObject response = response(reply, Ids.hex("resp_", 48), status(reply));
    JsonArray output = new JsonArray();
    if (items.reasoning != null) {
      output.add(items.reasoning);
    }
    if (items.message != null) {
      output.add(items.message(reply.text, status(reply)));
    }
    for (int i = 0; i < reply.toolCalls.size(); i++) {
      output.add(items.functionCall(i, reply.toolCalls.get(i).argumentsJson(), "completed"));
    }
    return finish(reply, response.put("output", output)).toBuffer();
  }

  @Override
  public StreamPlan stream(Reply reply) {
    Items items = new Items(reply);
    String responseId = Ids.hex("resp_", 48);
    JsonObject streamOptions = JsonFields.object(reply.request, "stream_options");
    boolean obfuscate = streamOptions == null || !Boolean.FALSE.equals(streamOptions.getValue("include_obfuscation"));
    Events events = new Events(new StreamPlan(STREAM_CONTENT_TYPE), obfuscate);
    JsonArray finalOutput = new JsonArray();

    events.frame("response.created", new JsonObject().put("response", response(reply, responseId, "in_progress")));
    events.frame("response.in_progress", new JsonObject().put("response", response(reply, responseId, "in_progress")));

    int outputIndex = 0;
    if (items.reasoning != null) {
      events.frame("response.output_item.added", itemEvent(outputIndex, items.reasoning));
      events.frame("response.output_item.done", itemEvent(outputIndex, items.reasoning));
      finalOutput.add(items.reasoning);
      outputIndex++;
    }
    if (items.message != null) {
      String itemId = items.message;
      events.frame("response.output_item.added", itemEvent(outputIndex, items.message("", "in_progress")
          .put("content", new JsonArray())));
      events.frame("response.content_part.added", partEvent(itemId, outputIndex, outputText("")));
      for (String piece : reply.textDeltas()) {
        events.content("response.output_text.delta", new JsonObject()
            .put("item_id", itemId).put("output_index", outputIndex).put("content_index", 0)
            .put("delta", piece).put("logprobs", new JsonArray()));
      }
      events.frame("response.output_text.done", new JsonObject()
          .put("item_id", itemId).put("output_index", outputIndex).put("content_index", 0)
          .put("text", reply.text).put("logprobs", new JsonArray()));
      events.frame("response.content_part.done", partEvent(itemId, outputIndex, outputText(reply.text)));
      JsonObject done = items.message(reply.text, status(reply));
      events.frame("response.output_item.done", itemEvent(outputIndex, done));
      finalOutput.add(done);
      outputIndex++;
    }
    for (int i = 0; i < reply.toolCalls.size(); i++, outputIndex++) {
      Behavior.ToolCall call = reply.toolCalls.get(i);
      String itemId = items.functionCallIds.get(i);
      events.frame("response.output_item.added", itemEvent(outputIndex, items.functionCall(i, "", "in_progress")));
      for (String fragment : Deltas.argumentFragments(call.argumentsJson())) {
        events.content("response.function_call_arguments.delta", new JsonObject()
            .put("item_id", itemId).put("output_index", outputIndex).put("delta", fragment));
      }
      events.frame("response.function_call_arguments.done", new JsonObject()
          .put("item_id", itemId).put("name", call.name()).put("output_index", outputIndex)
          .put("arguments", call.argumentsJson()));
      JsonObject done = items.functionCall(i, call.argumentsJson(), "completed");
      events.frame("response.output_item.done", itemEvent(outputIndex, done));
      finalOutput.add(done);
    }

    events.plan.finishHere();
    String status = status(reply);
    JsonObject last = finish(reply, response(reply, responseId, status).put("output", finalOutput));
    events.frame("completed".equals(status) ? "response.completed" : "response.incomplete",
        new JsonObject().put("response", last));
    return events.plan.onError((message, written) -> Sse.event("error", new JsonObject()
        .put("type", "error").put("sequence_number", written)
        .put("code", "server_error").put("message", message).put("param", null)));
  }

  private static String status(Reply reply) {
    return incompleteReason(reply) == null ? "completed" : "incomplete";
  }

  private static String incompleteReason(Reply reply) {
    return switch (reply.finishReason) {
      case "length" -> "max_output_tokens";
      case "content_filter" -> "content_filter";
      default -> null;
    };
  }

  private static JsonObject response(Reply reply, String id, String status) {
    JsonObject request = reply.request;
    return new JsonObject()
        .put("id", id)
        .put("object", "response")
        .put("created_at", System.currentTimeMillis() / 1000)
        .put("status", status)
        .put("background", false)
        .put("error", null)
        .put("incomplete_details", null)
        .put("instructions", request.getValue("instructions"))
        .put("max_output_tokens", request.getValue("max_output_tokens"))
        .put("model", reply.model)
        .put("output", new JsonArray())
        .put("parallel_tool_calls", request.getValue("parallel_tool_calls", true))
        .put("previous_response_id", request.getValue("previous_response_id"))
        .put("reasoning", new JsonObject().put("effort", null).put("summary", null))
        .put("service_tier", "default")
        .put("store", request.getValue("store", true))
        .put("temperature", request.getValue("temperature", 1.0))
        .put("text", new JsonObject().put("format", new JsonObject().put("type", "text")).put("verbosity", "medium"))
        .put("tool_choice", request.getValue("tool_choice", "auto"))
        .put("tools", request.getValue("tools", new JsonArray()))
        .put("top_p", request.getValue("top_p", 1.0))
        .put("truncation", "disabled")
        .put("usage", null)
        .put("user", null)
        .put("metadata", request.getValue("metadata", new JsonObject()));
  }

  private static JsonObject finish(Reply reply, JsonObject response) {
    String reason = incompleteReason(reply);
    if (reason != null) {
      response.put("incomplete_details", new JsonObject().put("reason", reason));
    }
    if (reply.usage) {
      response.put("usage", new JsonObject()
          .put("input_tokens", reply.promptTokens)
          .put("input_tokens_details", new JsonObject().put("cached_tokens", reply.cacheReadTokens))
          .put("output_tokens", reply.completionTokens)
          .put("output_tokens_details", new JsonObject().put("reasoning_tokens", reply.reasoningTokens))
          .put("total_tokens", reply.totalTokens()));
    }
    return response;
  }

  private static JsonObject itemEvent(int outputIndex, JsonObject item) {
    return new JsonObject().put("output_index", outputIndex).put("item", item);
  }

  private static JsonObject partEvent(String itemId, int outputIndex, JsonObject part) {
    return new JsonObject().put("item_id", itemId).put("output_index", outputIndex).put("content_index", 0)
        .put("part", part);
  }

  private static JsonObject outputText(String text) {
    return new JsonObject().put("type", "output_text").put("annotations", new JsonArray())
        .put("logprobs", new JsonArray()).put("text", text);
  }

  /** The output items of one answer with their ids, fixed once so stream events and the final response agree. */
  private static final class Items {
    final JsonObject reasoning;
    final String message;
    final List<String> functionCallIds = new ArrayList<>();
    final List<String> callIds = new ArrayList<>();
    private final Reply reply;

    Items(Reply reply) {
      this.reply = reply;
      this.reasoning = reply.reasoningTokens > 0
          ? new JsonObject().put("id", Ids.hex("rs_", 48)).put("type", "reasoning").put("summary", new JsonArray())
          : null;
      this.message = reply.hasText() || reply.toolCalls.isEmpty() ? Ids.hex("msg_", 48) : null;
      for (int i = 0; i < reply.toolCalls.size(); i++) {
        functionCallIds.add(Ids.hex("fc_", 48));
        callIds.add(Ids.base62("call_", 24));
      }
    }

    JsonObject message(String text, String status) {
      return new JsonObject()
          .put("id", message)
          .put("type", "message")
          .put("status", status)
          .put("content", new JsonArray().add(outputText(text)))
          .put("role", "assistant");
    }

    JsonObject functionCall(int i, String arguments, String status) {
      return new JsonObject()
          .put("id", functionCallIds.get(i))
          .put("type", "function_call")
          .put("status", status)
          .put("arguments", arguments)
          .put("call_id", callIds.get(i))
          .put("name", reply.toolCalls.get(i).name());
    }
  }

  /**
   * Adds events as {@code event: <type>} records whose data starts with its type and sequence number; delta
   * events get OpenAI's {@code obfuscation} padding unless the request opted out.
   */
  private static final class Events {
    final StreamPlan plan;
    private final boolean obfuscate;
    private int sequence;

    Events(StreamPlan plan, boolean obfuscate) {
      this.plan = plan;
      this.obfuscate = obfuscate;
    }

    void frame(String type, JsonObject fields) {
      plan.frame(Sse.event(type, withHeader(type, fields)));
    }

    void content(String type, JsonObject fields) {
      JsonObject data = withHeader(type, fields);
      if (obfuscate) {
        data.put("obfuscation", Ids.obfuscation());
      }
      plan.content(Sse.event(type, data));
    }

    private JsonObject withHeader(String type, JsonObject fields) {
      JsonObject data = new JsonObject().put("type", type).put("sequence_number", sequence++);
      fields.forEach(e -> data.put(e.getKey(), e.getValue()));
      return data;
    }
  }
}
