package gateway.testsupport.fake;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI Chat Completions ({@code POST /v1/chat/completions}): {@code chat.completion} bodies and
 * {@code chat.completion.chunk} streams ending in {@code data: [DONE]}, with the usage chunk only under
 * {@code stream_options.include_usage}.
 */
final class OpenAiChatWire implements OpenAiWire {

  static final String PROTOCOL = "openai-chat";
  static final String SYSTEM_FINGERPRINT = "fp_f4ke5e6d7c";
  private static final String CONTENT_TYPE = "application/json";
  private static final String STREAM_CONTENT_TYPE = "text/event-stream; charset=utf-8";
  private static final Buffer DONE = Sse.constant("data: [DONE]\n\n");

  @Override
  public String protocol() {
    return PROTOCOL;
  }



  @Override
  public ErrorResponse validate(MultiMap headers, JsonObject body, boolean stream) {
    if (JsonFields.string(body, "model") == null) {
      return OpenAiErrors.of(400, "you must provide a model parameter", "invalid_request_error", null, null);
    }
    if (JsonFields.array(body, "messages") == null) {
      return OpenAiErrors.missingParameter("messages");
    }
    if (!stream && body.getValue("stream_options") != null) {
      return OpenAiErrors.of(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
          "invalid_request_error", "stream_options", null);
    }
    return null;
  }



  @Override
  public long promptChars(JsonObject body) {
    long chars = 0;
    JsonArray messages = JsonFields.array(body, "messages");
    if (messages != null) {
      for (Object message : messages) {
        if (message instanceof JsonObject m) {
          chars += JsonFields.contentLength(m.getValue("content"));
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
    JsonObject message = new JsonObject()
        .put("role", "assistant")
        .put("content", reply.hasText() || reply.toolCalls.isEmpty() ? reply.text : null);
    if (!reply.toolCalls.isEmpty()) {
      JsonArray calls = new JsonArray();
      for (Behavior.ToolCall call : reply.toolCalls) {
        calls.add(new JsonObject()
            .put("id", Ids.base62("call_", 24))
            .put("type", "function")
            .put("function", new JsonObject().put("name", call.name()).put("arguments", call.argumentsJson())));
      }
      message.put("tool_calls", calls);
    }
    message.put("refusal", null).put("annotations", new JsonArray());
    JsonObject choice = new JsonObject()
        .put("index", 0)
        .put("message", message)
        .put("logprobs", null)
        .put("finish_reason", reply.finishReason);
    JsonObject completion = new JsonObject()
        .put("id", Ids.base62("chatcmpl-", 29))
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", reply.model)
        .put("choices", new JsonArray().add(choice));
    if (reply.usage) {
      completion.put("usage", usage(reply));
    }
    completion.put("service_tier", "default").put("system_fingerprint", SYSTEM_FINGERPRINT);
    return completion.toBuffer();
  }

  @Override
  public StreamPlan stream(Reply reply) {
    JsonObject streamOptions = JsonFields.object(reply.request, "stream_options");
    boolean includeUsage = reply.usage && JsonFields.isTrue(streamOptions, "include_usage");
    boolean obfuscate = streamOptions == null || !Boolean.FALSE.equals(streamOptions.getValue("include_obfuscation"));
    Chunks chunks = new Chunks(Ids.base62("chatcmpl-", 29), System.currentTimeMillis() / 1000, reply.model,
        includeUsage, obfuscate);
    StreamPlan plan = new StreamPlan(STREAM_CONTENT_TYPE);

    List<JsonObject> toolHeaders = new ArrayList<>(reply.toolCalls.size());
    for (int i = 0; i < reply.toolCalls.size(); i++) {
      toolHeaders.add(new JsonObject()
          .put("index", i)
          .put("id", Ids.base62("call_", 24))
          .put("type", "function")
          .put("function", new JsonObject().put("name", reply.toolCalls.get(i).name()).put("arguments", "")));
    }

    boolean toolsOnly = !reply.hasText() && !reply.toolCalls.isEmpty();
    JsonObject roleDelta = new JsonObject().put("role", "assistant").put("content", toolsOnly ? null : "");
    if (toolsOnly) {
      roleDelta.put("tool_calls", new JsonArray().add(toolHeaders.get(0)));
    }
    plan.frame(chunks.delta(roleDelta.put("refusal", null), null, false));

    for (String piece : reply.textDeltas()) {
      plan.content(chunks.delta(new JsonObject().put("content", piece), null, true));
    }
    for (int i = 0; i < reply.toolCalls.size(); i++) {
      if (!(toolsOnly && i == 0)) {
        plan.content(chunks.delta(new JsonObject().put("tool_calls", new JsonArray().add(toolHeaders.get(i))),
            null, true));
      }
      for (String fragment : Deltas.argumentFragments(reply.toolCalls.get(i).argumentsJson())) {
        JsonObject call = new JsonObject().put("index", i).put("function", new JsonObject().put("arguments", fragment));
        plan.content(chunks.delta(new JsonObject().put("tool_calls", new JsonArray().add(call)), null, true));
      }
    }

    plan.finishHere();
    plan.frame(chunks.delta(new JsonObject(), reply.finishReason, false));
    if (includeUsage) {
      plan.frame(Sse.data(chunks.base().put("choices", new JsonArray()).put("usage", usage(reply))));
    }
    plan.frame(DONE);
    return plan.onError((message, written) -> Sse.data(OpenAiErrors.streamError(message)));
  }

  static JsonObject usage(Reply reply) {
    return new JsonObject()
        .put("prompt_tokens", reply.promptTokens)
        .put("completion_tokens", reply.completionTokens)
        .put("total_tokens", reply.totalTokens())
        .put("prompt_tokens_details", new JsonObject()
            .put("cached_tokens", reply.cacheReadTokens)
            .put("audio_tokens", 0))
        .put("completion_tokens_details", new JsonObject()
            .put("reasoning_tokens", reply.reasoningTokens)
            .put("audio_tokens", 0)
            .put("accepted_prediction_tokens", 0)
            .put("rejected_prediction_tokens", 0));
  }

  /** The fields every chunk of one stream repeats. */
  private record Chunks(String id, long created, String model, boolean includeUsage, boolean obfuscate) {

    JsonObject base() {
      return new JsonObject()
          .put("id", id)
          .put("object", "chat.completion.chunk")
          .put("created", created)
          .put("model", model)
          .put("service_tier", "default")
          .put("system_fingerprint", SYSTEM_FINGERPRINT);
    }

    Buffer delta(JsonObject delta, String finishReason, boolean content) {
      JsonObject choice = new JsonObject()
          .put("index", 0)
          .put("delta", delta)
          .put("logprobs", null)
          .put("finish_reason", finishReason);
      JsonObject chunk = base().put("choices", new JsonArray().add(choice));
      if (includeUsage) {
        chunk.put("usage", null);
      }
      if (content && obfuscate) {
        chunk.put("obfuscation", Ids.obfuscation());
      }
      return Sse.data(chunk);
    }
  }
}
