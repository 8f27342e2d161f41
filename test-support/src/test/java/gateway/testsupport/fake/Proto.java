package gateway.testsupport.fake;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** A minimal valid request per streaming protocol and how a client reads that protocol's stream. */
enum Proto {

  CHAT {
    @Override
    String uri(String model, boolean stream) {
      return "/v1/chat/completions";
    }

    @Override
    JsonObject body(String model, boolean stream) {
      JsonObject body = new JsonObject().put("model", model)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", PROMPT)));
      return stream ? body.put("stream", true) : body;
    }

    @Override
    MultiMap headers(String key) {
      return key == null ? TestClient.headers() : TestClient.headers("Authorization", "Bearer " + key);
    }

    @Override
    String textDelta(SseEvent event) {
      if (event.isDone()) {
        return null;
      }
      JsonArray choices = event.json().getJsonArray("choices");
      if (choices == null || choices.isEmpty()) {
        return null;
      }
      String content = choices.getJsonObject(0).getJsonObject("delta").getString("content");
      return content == null || content.isEmpty() ? null : content;
    }

    @Override
    boolean isTerminator(SseEvent event) {
      return event.isDone();
    }

    @Override
    boolean isErrorEvent(SseEvent event) {
      return !event.isDone() && event.json().containsKey("error");
    }
  },

  RESPONSES {
    @Override
    String uri(String model, boolean stream) {
      return "/v1/responses";
    }

    @Override
    JsonObject body(String model, boolean stream) {
      JsonObject body = new JsonObject().put("model", model).put("input", PROMPT);
      return stream ? body.put("stream", true) : body;
    }

    @Override
    MultiMap headers(String key) {
      return CHAT.headers(key);
    }

    @Override
    String textDelta(SseEvent event) {
      return "response.output_text.delta".equals(event.event()) ? event.json().getString("delta") : null;
    }

    @Override
    boolean isTerminator(SseEvent event) {
      return "response.completed".equals(event.event());
    }

    @Override
    boolean isErrorEvent(SseEvent event) {
      return "error".equals(event.event());
    }
  },

  ANTHROPIC {
    @Override
    String uri(String model, boolean stream) {
      return "/v1/messages";
    }

    @Override
    JsonObject body(String model, boolean stream) {
      JsonObject body = new JsonObject().put("model", model).put("max_tokens", 256)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", PROMPT)));
      return stream ? body.put("stream", true) : body;
    }

    @Override
    MultiMap headers(String key) {
      MultiMap headers = TestClient.headers("anthropic-version", "2023-06-01");
      return key == null ? headers : headers.add("x-api-key", key);
    }

    @Override
    String textDelta(SseEvent event) {
      if (!"content_block_delta".equals(event.event())) {
        return null;
      }
      JsonObject delta = event.json().getJsonObject("delta");
      return "text_delta".equals(delta.getString("type")) ? delta.getString("text") : null;
    }

    @Override
    boolean isTerminator(SseEvent event) {
      return "message_stop".equals(event.event());
    }

    @Override
    boolean isErrorEvent(SseEvent event) {
      return "error".equals(event.event());
    }
  },

  GEMINI {
    @Override
    String uri(String model, boolean stream) {
      return "/v1beta/models/" + model + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    }

    @Override
    JsonObject body(String model, boolean stream) {
      return new JsonObject().put("contents", new JsonArray().add(new JsonObject().put("role", "user")
          .put("parts", new JsonArray().add(new JsonObject().put("text", PROMPT)))));
    }

    @Override
    MultiMap headers(String key) {
      return key == null ? TestClient.headers() : TestClient.headers("x-goog-api-key", key);
    }

    @Override
    String textDelta(SseEvent event) {
      JsonArray candidates = event.json().getJsonArray("candidates");
      if (candidates == null) {
        return null;
      }
      JsonObject content = candidates.getJsonObject(0).getJsonObject("content");
      if (content == null) {
        return null;
      }
      StringBuilder text = new StringBuilder();
      for (Object part : content.getJsonArray("parts")) {
        String piece = ((JsonObject) part).getString("text");
        text.append(piece == null ? "" : piece);
      }
      return text.length() == 0 ? null : text.toString();
    }

    @Override
    boolean isTerminator(SseEvent event) {
      JsonArray candidates = event.json().getJsonArray("candidates");
      return candidates != null && candidates.getJsonObject(0).getString("finishReason") != null;
    }

    @Override
    boolean isErrorEvent(SseEvent event) {
      return event.json().containsKey("error");
    }
  };

  /** 48 characters: the default prompt estimate is 12 tokens. */
  static final String PROMPT = "Say hello to the fake upstream, then stop there.";

  abstract String uri(String model, boolean stream);

  abstract JsonObject body(String model, boolean stream);

  /** Headers a real client sends, with the API key in the protocol's place (none when null). */
  abstract MultiMap headers(String key);

  /** The text a content event carries, or null for any other event. */
  abstract String textDelta(SseEvent event);

  abstract boolean isTerminator(SseEvent event);

  abstract boolean isErrorEvent(SseEvent event);

  String text(List<SseEvent> events) {
    StringBuilder text = new StringBuilder();
    for (SseEvent event : events) {
      String delta = textDelta(event);
      text.append(delta == null ? "" : delta);
    }
    return text.toString();
  }

  long textDeltaCount(List<SseEvent> events) {
    return events.stream().filter(e -> textDelta(e) != null).count();
  }
}
