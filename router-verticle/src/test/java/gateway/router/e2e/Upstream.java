package gateway.router.e2e;

import gateway.testsupport.fake.RecordedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The four kinds of channel the gateway can route to, each on the fake upstream speaking that
 * provider's real wire format, with a model routed to it. Knows where each format puts what a
 * tool-call round trip sends back, so pairing tests can check it arrived.
 */
enum Upstream {
  OPENAI_CHAT("fake-openai", "gpt-chat", "up-gpt-chat"),
  OPENAI_RESPONSES("fake-responses", "gpt-responses", "up-gpt-responses"),
  ANTHROPIC("fake-anthropic", "claude", "up-claude"),
  GEMINI("fake-gemini", "gemini", "up-gemini");

  /** Credits per million tokens: 15 µcr an input token, 60 an output token, 7.5 a cached one. */
  static final JsonObject PRICE = GatewayUnderTest.price("15", "60", "7.5");

  final String channel;
  final String alias;
  final String upstreamModel;

  Upstream(String channel, String alias, String upstreamModel) {
    this.channel = channel;
    this.alias = alias;
    this.upstreamModel = upstreamModel;
  }

  /** Its channel on the fake upstream and a chat model routed only to it. */
  void install(GatewayUnderTest gateway) {
    gateway.channel(channel, definition(gateway));
    gateway.routedModel(alias, channel, upstreamModel, PRICE);
  }

  JsonObject definition(GatewayUnderTest gateway) {
    JsonObject channel = new JsonObject().put("api_key", GatewayUnderTest.CHANNEL_KEY);
    return switch (this) {
      case OPENAI_CHAT -> channel.put("type", "openai").put("base_url", gateway.fake.openAiBaseUrl());
      case OPENAI_RESPONSES -> channel.put("type", "openai").put("base_url", gateway.fake.openAiBaseUrl())
          .put("wire_api", "responses");
      case ANTHROPIC -> channel.put("type", "anthropic").put("base_url", gateway.fake.anthropicBaseUrl());
      case GEMINI -> channel.put("type", "gemini").put("base_url", gateway.fake.geminiBaseUrl());
    };
  }

  /** The path the fake upstream saw for a request of this channel. */
  String path(boolean stream) {
    return switch (this) {
      case OPENAI_CHAT -> "/v1/chat/completions";
      case OPENAI_RESPONSES -> "/v1/responses";
      case ANTHROPIC -> "/v1/messages";
      case GEMINI -> "/v1beta/models/" + upstreamModel + (stream ? ":streamGenerateContent" : ":generateContent");
    };
  }

  /**
   * The tool result a follow-up request carried upstream, in the provider's own form: the call id
   * it answers and its text (Gemini answers by function name, so its "id" is the name).
   */
  ToolResult toolResultSent(RecordedRequest request) {
    JsonObject body = request.body();
    switch (this) {
      case OPENAI_CHAT -> {
        for (Object m : body.getJsonArray("messages")) {
          JsonObject message = (JsonObject) m;
          if ("tool".equals(message.getString("role"))) {
            return new ToolResult(message.getString("tool_call_id"), message.getString("content"));
          }
        }
      }
      case OPENAI_RESPONSES -> {
        for (Object i : body.getJsonArray("input")) {
          JsonObject item = (JsonObject) i;
          if ("function_call_output".equals(item.getString("type"))) {
            return new ToolResult(item.getString("call_id"), item.getString("output"));
          }
        }
      }
      case ANTHROPIC -> {
        for (Object m : body.getJsonArray("messages")) {
          if (((JsonObject) m).getValue("content") instanceof JsonArray blocks) {
            for (Object b : blocks) {
              JsonObject block = (JsonObject) b;
              if ("tool_result".equals(block.getString("type"))) {
                Object content = block.getValue("content");
                return new ToolResult(block.getString("tool_use_id"), content instanceof String s ? s
                    : ((JsonArray) content).getJsonObject(0).getString("text"));
              }
            }
          }
        }
      }
      case GEMINI -> {
        for (Object c : body.getJsonArray("contents")) {
          for (Object p : ((JsonObject) c).getJsonArray("parts")) {
            if (((JsonObject) p).getValue("functionResponse") instanceof JsonObject response) {
              return new ToolResult(response.getString("name"), response.getJsonObject("response").encode());
            }
          }
        }
      }
    }
    throw new AssertionError("no tool result in " + body.encode());
  }

  /** Gemini identifies a result by its function's name, every other provider by the call's id. */
  boolean answersByName() {
    return this == GEMINI;
  }

  record ToolResult(String id, String content) {
  }
}
