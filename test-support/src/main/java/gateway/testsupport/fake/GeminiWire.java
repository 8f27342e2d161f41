package gateway.testsupport.fake;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Google Gemini ({@code POST /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent}).
 * With {@code ?alt=sse} the stream is {@code data: <GenerateContentResponse>\r\n\r\n} records and no terminator;
 * without it, Gemini's default: one JSON array whose elements arrive as the stream progresses. Function calls
 * arrive whole (Gemini does not fragment {@code args}), all in one chunk. The last chunk carries
 * {@code finishReason} and the complete {@code usageMetadata}; earlier chunks only the prompt count.
 * Key errors are Gemini's own: a wrong key is a 400 {@code API_KEY_INVALID}, a missing one a 403.
 */
final class GeminiWire implements Wire {

  static final String PROTOCOL = "gemini";
  private static final String CONTENT_TYPE = "application/json; charset=UTF-8";
  private static final String SSE_CONTENT_TYPE = "text/event-stream";
  private static final Buffer ARRAY_OPEN = Sse.constant("[");
  private static final Buffer ARRAY_NEXT = Sse.constant(",\r\n");
  private static final Buffer ARRAY_CLOSE = Sse.constant("]");

  private final boolean sse;

  private GeminiWire(boolean sse) {
    this.sse = sse;
  }

  static final GeminiWire SSE = new GeminiWire(true);
  static final GeminiWire JSON_ARRAY = new GeminiWire(false);

  @Override
  public String protocol() {
    return PROTOCOL;
  }

  @Override
  public ErrorResponse checkApiKey(MultiMap headers, String query, String expectedKey) {
    String presented = headers.get("x-goog-api-key");
    if (presented == null) {
      presented = queryKey(query);
    }
    if (presented == null) {
      return ErrorResponse.json(403, errorBody(403, "Method doesn't allow unregistered callers (callers without"
          + " established identity). Please use API Key or other form of API consumer identity to call this API."));
    }
    if (presented.equals(expectedKey)) {
      return null;
    }
    JsonObject body = errorBody(400, "API key not valid. Please pass a valid API key.");
    body.getJsonObject("error").put("details", new JsonArray().add(new JsonObject()
        .put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
        .put("reason", "API_KEY_INVALID")
        .put("domain", "googleapis.com")
        .put("metadata", new JsonObject().put("service", "generativelanguage.googleapis.com"))));
    return ErrorResponse.json(400, body);
  }

  private static String queryKey(String query) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("key=")) {
        return java.net.URLDecoder.decode(pair.substring(4), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  @Override
  public ErrorResponse invalidJson() {
    return error(400, "Invalid JSON payload received. Unexpected token.");
  }

  @Override
  public ErrorResponse validate(MultiMap headers, JsonObject body, boolean stream) {
    JsonArray contents = JsonFields.array(body, "contents");
    if (contents == null || contents.isEmpty()) {
      return error(400, "* GenerateContentRequest.contents: contents is not specified\n");
    }
    return null;
  }

  @Override
  public ErrorResponse error(int status, String message) {
    return ErrorResponse.json(status, errorBody(status, message));
  }

  @Override
  public ErrorResponse streamRequired() {
    return error(400, "stream must be true");
  }

  static JsonObject errorBody(int status, String message) {
    return new JsonObject().put("error", new JsonObject()
        .put("code", status).put("message", message).put("status", statusName(status)));
  }

  static String statusName(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 500 -> "INTERNAL";
      case 501 -> "UNIMPLEMENTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> status >= 500 ? "UNKNOWN" : "FAILED_PRECONDITION";
    };
  }

  @Override
  public long promptChars(JsonObject body) {
    long chars = partsChars(JsonFields.object(body, "systemInstruction"))
        + partsChars(JsonFields.object(body, "system_instruction"));
    JsonArray contents = JsonFields.array(body, "contents");
    if (contents != null) {
      for (Object content : contents) {
        chars += content instanceof JsonObject c ? partsChars(c) : 0;
      }
    }
    return chars;
  }

  private static long partsChars(JsonObject content) {
    return JsonFields.contentLength(JsonFields.array(content, "parts"));
  }

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public Buffer body(Reply reply) {
    JsonObject candidate = new JsonObject();
    if (!blocked(reply)) {
      JsonArray parts = new JsonArray();
      if (reply.hasText()) {
        parts.add(new JsonObject().put("text", reply.text));
      }
      addFunctionCalls(reply, parts);
      candidate.put("content", content(parts));
    }
    candidate.put("finishReason", finishReason(reply));
    if (blocked(reply)) {
      candidate.put("safetyRatings", blockedRatings());
    }
    candidate.put("index", 0);
    return response(reply, candidate, finalUsage(reply), Ids.base62("", 23)).toBuffer();
  }

  @Override
  public StreamPlan stream(Reply reply) {
    StreamPlan plan = new StreamPlan(sse ? SSE_CONTENT_TYPE : CONTENT_TYPE);
    String responseId = Ids.base62("", 23);
    JsonObject partialUsage = reply.usage
        ? new JsonObject().put("promptTokenCount", reply.promptTokens).put("totalTokenCount", reply.promptTokens)
        : null;
    if (blocked(reply)) {
      plan.finishHere();
      JsonObject candidate = new JsonObject().put("finishReason", finishReason(reply))
          .put("safetyRatings", blockedRatings()).put("index", 0);
      plan.frame(frame(response(reply, candidate, finalUsage(reply), responseId), 0));
    } else {
      List<String> pieces = reply.textDeltas();
      int chunks = pieces.size() + (reply.toolCalls.isEmpty() ? 0 : 1);
      int index = 0;
      for (String piece : pieces) {
        JsonArray parts = new JsonArray().add(new JsonObject().put("text", piece));
        boolean last = index == chunks - 1;
        plan.content(frame(chunk(reply, parts, last, partialUsage, responseId), index++));
      }
      if (!reply.toolCalls.isEmpty()) {
        JsonArray parts = new JsonArray();
        addFunctionCalls(reply, parts);
        plan.content(frame(chunk(reply, parts, true, partialUsage, responseId), index++));
      }
      plan.finishHere();
      if (chunks == 0) {
        JsonArray parts = new JsonArray().add(new JsonObject().put("text", ""));
        plan.frame(frame(chunk(reply, parts, true, partialUsage, responseId), index));
      }
    }
    if (!sse) {
      plan.frame(ARRAY_CLOSE).heartbeat(Buffer.buffer("\n"));
    }
    return plan.lastContentFinishes().onError(this::errorEvent);
  }

  private Buffer errorEvent(String message, int eventsWritten) {
    JsonObject error = errorBody(503, message);
    if (sse) {
      return Sse.dataCrlf(error);
    }
    return Buffer.buffer().appendBuffer(eventsWritten == 0 ? ARRAY_OPEN : ARRAY_NEXT)
        .appendBuffer(error.toBuffer()).appendBuffer(ARRAY_CLOSE);
  }

  private Buffer frame(JsonObject response, int index) {
    if (sse) {
      return Sse.dataCrlf(response);
    }
    return Buffer.buffer().appendBuffer(index == 0 ? ARRAY_OPEN : ARRAY_NEXT).appendBuffer(response.toBuffer());
  }

  private static JsonObject chunk(Reply reply, JsonArray parts, boolean last, JsonObject partialUsage,
                                  String responseId) {
    JsonObject candidate = new JsonObject().put("content", content(parts));
    if (last) {
      candidate.put("finishReason", finishReason(reply));
    }
    candidate.put("index", 0);
    return response(reply, candidate, last ? finalUsage(reply) : partialUsage, responseId);
  }

  private static JsonObject response(Reply reply, JsonObject candidate, JsonObject usage, String responseId) {
    JsonObject response = new JsonObject().put("candidates", new JsonArray().add(candidate));
    if (usage != null) {
      response.put("usageMetadata", usage);
    }
    return response.put("modelVersion", reply.model).put("responseId", responseId);
  }

  private static JsonObject content(JsonArray parts) {
    return new JsonObject().put("parts", parts).put("role", "model");
  }

  private static void addFunctionCalls(Reply reply, JsonArray parts) {
    for (Behavior.ToolCall call : reply.toolCalls) {
      parts.add(new JsonObject().put("functionCall",
          new JsonObject().put("name", call.name()).put("args", call.arguments().copy())));
    }
  }

  private static JsonObject finalUsage(Reply reply) {
    if (!reply.usage) {
      return null;
    }
    JsonObject usage = new JsonObject()
        .put("promptTokenCount", reply.promptTokens)
        .put("candidatesTokenCount", Math.max(0, reply.completionTokens - reply.reasoningTokens))
        .put("totalTokenCount", reply.totalTokens());
    if (reply.cacheReadTokens > 0) {
      usage.put("cachedContentTokenCount", reply.cacheReadTokens);
    }
    usage.put("promptTokensDetails", new JsonArray()
        .add(new JsonObject().put("modality", "TEXT").put("tokenCount", reply.promptTokens)));
    if (reply.cacheReadTokens > 0) {
      usage.put("cacheTokensDetails", new JsonArray()
          .add(new JsonObject().put("modality", "TEXT").put("tokenCount", reply.cacheReadTokens)));
    }
    if (reply.reasoningTokens > 0) {
      usage.put("thoughtsTokenCount", reply.reasoningTokens);
    }
    return usage;
  }

  private static boolean blocked(Reply reply) {
    return "SAFETY".equals(finishReason(reply));
  }

  private static JsonArray blockedRatings() {
    JsonArray ratings = new JsonArray();
    for (String category : new String[] {"HARM_CATEGORY_SEXUALLY_EXPLICIT", "HARM_CATEGORY_HATE_SPEECH",
        "HARM_CATEGORY_HARASSMENT", "HARM_CATEGORY_DANGEROUS_CONTENT"}) {
      boolean hit = category.equals("HARM_CATEGORY_DANGEROUS_CONTENT");
      JsonObject rating = new JsonObject().put("category", category).put("probability", hit ? "HIGH" : "NEGLIGIBLE");
      if (hit) {
        rating.put("blocked", true);
      }
      ratings.add(rating);
    }
    return ratings;
  }

  static String finishReason(Reply reply) {
    return switch (reply.finishReason) {
      case "stop", "tool_calls", "function_call" -> "STOP";
      case "length" -> "MAX_TOKENS";
      case "content_filter" -> "SAFETY";
      default -> reply.finishReason;
    };
  }
}
