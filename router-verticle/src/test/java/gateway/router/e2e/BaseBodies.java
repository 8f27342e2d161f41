package gateway.router.e2e;

import gateway.router.e2e.ClientBodiesFuzzTest.Endpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A valid body of each client endpoint using most of its fields (system prompts, images, tool
 * calls and results, tools, sampling, metadata), so that a mutation can land on any field a parser
 * or a translation reads. Each is served with a 200 as it is.
 */
final class BaseBodies {
  private static final String IMAGE = "data:image/png;base64,iVBORw0KGgo=";

  private BaseBodies() {
  }

  static JsonObject of(Endpoint endpoint, Upstream target, boolean stream) {
    JsonObject body = switch (endpoint) {
      case CHAT -> chat(stream);
      case RESPONSES -> responses();
      case MESSAGES -> messages().put("max_tokens", 50);
      case COUNT_TOKENS -> messages();
      case EMBEDDINGS -> new JsonObject().put("input", new JsonArray().add("hello").add("world"))
          .put("encoding_format", "float").put("user", "u-1");
      case IMAGES -> new JsonObject().put("prompt", "a red square").put("n", 2).put("size", "1024x1024")
          .put("quality", "high").put("response_format", "b64_json").put("output_format", "png").put("user", "u-1");
    };
    body.put("model", endpoint == Endpoint.EMBEDDINGS ? "embed" : endpoint == Endpoint.IMAGES ? "fuzz-painter"
        : target.alias);
    if (stream) {
      body.put("stream", true);
    }
    return body;
  }

  private static JsonObject chat(boolean stream) {
    JsonObject body = new JsonObject("""
        {"messages": [
           {"role": "system", "content": "Be brief."},
           {"role": "user", "content": [{"type": "text", "text": "What is the weather?"},
                                       {"type": "image_url", "image_url": {"url": "%s", "detail": "low"}}]},
           {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
              "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
           {"role": "tool", "tool_call_id": "call_1", "content": "15C"}],
         "tools": [{"type": "function", "function": {"name": "get_weather", "description": "The weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
         "tool_choice": "auto", "temperature": 0.5, "top_p": 1, "max_tokens": 50, "n": 1, "stop": ["END"],
         "user": "u-1", "metadata": {"k": "v"}, "response_format": {"type": "text"}, "seed": 7,
         "parallel_tool_calls": true}""".formatted(IMAGE));
    if (stream) {
      body.put("stream_options", new JsonObject().put("include_usage", true));
    }
    return body;
  }

  private static JsonObject responses() {
    return new JsonObject("""
        {"instructions": "Be brief.",
         "input": [
           {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "What is the weather?"},
              {"type": "input_image", "image_url": "%s", "detail": "low"}]},
           {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"},
           {"type": "function_call_output", "call_id": "call_1", "output": "15C"}],
         "tools": [{"type": "function", "name": "get_weather", "description": "The weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}],
         "tool_choice": "auto", "max_output_tokens": 50, "temperature": 0.5, "top_p": 1,
         "reasoning": {"effort": "low"}, "text": {"format": {"type": "text"}}, "metadata": {"k": "v"},
         "user": "u-1", "parallel_tool_calls": true, "store": false}""".formatted(IMAGE));
  }

  private static JsonObject messages() {
    return new JsonObject("""
        {"system": [{"type": "text", "text": "Be brief."}],
         "messages": [
           {"role": "user", "content": [{"type": "text", "text": "What is the weather?"},
              {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}]},
           {"role": "assistant", "content": [{"type": "text", "text": "Let me look."},
              {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}]},
           {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1",
              "content": [{"type": "text", "text": "15C"}], "is_error": false}]}],
         "tools": [{"name": "get_weather", "description": "The weather",
            "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
         "tool_choice": {"type": "auto"}, "temperature": 0.5, "top_p": 1, "top_k": 5, "stop_sequences": ["END"],
         "metadata": {"user_id": "u-1"}}""");
  }
}
