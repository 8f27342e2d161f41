package gateway.testsupport.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides whether what a client got is a whole answer, a clean error or neither, by the rules of the protocol
 * it spoke (DESIGN.md: the error shapes; a stream that breaks after it started ends with an error event and no
 * terminator). An error that names a Java class is not clean.
 */
final class AnswerCheck {
  private static final Pattern CLASS_NAME = Pattern.compile(
      "\\b(java|javax|io\\.vertx|io\\.netty|com\\.fasterxml|gateway)\\.[a-z]+\\.|\\b\\w+(Exception|Error)\\b:");

  private AnswerCheck() {
  }

  /** The verdict and, for a clean error, its code; the detail says what is wrong with a broken answer. */
  record Result(Verdict verdict, String code, String detail) {
    static Result complete() {
      return new Result(Verdict.COMPLETE, null, null);
    }

    static Result broken(String why, String body) {
      return new Result(Verdict.BROKEN, null, why + ": " + snippet(body));
    }
  }

  static Result check(Call call, int status, String contentType, String body, Throwable brokenOff) {
    boolean eventStream = contentType != null && contentType.startsWith("text/event-stream");
    if (status == 200 && call.stream() && eventStream) {
      return stream(call.protocol(), body, brokenOff);
    }
    if (brokenOff != null) {
      return Result.broken("the answer broke off (" + brokenOff.getMessage() + ")", body);
    }
    if (status == 200) {
      return whole(call, body);
    }
    if (status >= 400 && status <= 599) {
      return error(call.protocol(), body);
    }
    return Result.broken("status " + status, body);
  }

  private static Result whole(Call call, String body) {
    JsonObject json = object(body);
    if (json == null) {
      return Result.broken("a 200 whose body is not a JSON object", body);
    }
    boolean whole = switch (call.protocol()) {
      case CHAT -> json.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
          && choices.getValue(0) instanceof JsonObject choice && choice.getValue("message") instanceof JsonObject;
      case RESPONSES -> "response".equals(json.getValue("object")) && json.getValue("output") instanceof JsonArray;
      case MESSAGES -> "message".equals(json.getValue("type")) && json.getValue("content") instanceof JsonArray;
    };
    if (call.stream()) {
      return Result.broken("a stream was asked for, a whole " + (whole ? "answer" : "body") + " came", body);
    }
    return whole ? Result.complete() : Result.broken("a 200 that is not a " + call.protocol() + " answer", body);
  }

  private static Result error(Protocol protocol, String body) {
    JsonObject json = object(body);
    JsonObject error = json != null && json.getValue("error") instanceof JsonObject e ? e : null;
    if (error == null) {
      return Result.broken("an error status without an error object", body);
    }
    if (protocol == Protocol.MESSAGES) {
      if (!"error".equals(json.getValue("type")) || !(error.getValue("type") instanceof String type)
          || !(error.getValue("message") instanceof String message)) {
        return Result.broken("not Anthropic's error shape", body);
      }
      return clean(type, message, body);
    }
    if (!(error.getValue("message") instanceof String message) || !(error.getValue("type") instanceof String)
        || !error.containsKey("code") || !error.containsKey("param")) {
      return Result.broken("not the OpenAI error shape {message, type, code, param}", body);
    }
    return clean(String.valueOf(error.getValue("code")), message, body);
  }

  private static Result stream(Protocol protocol, String body, Throwable brokenOff) {
    List<SseEvents.Event> events = SseEvents.parse(body);
    if (events.isEmpty()) {
      return Result.broken("an event stream without any event", body);
    }
    SseEvents.Event last = events.get(events.size() - 1);
    JsonObject data = object(last.data());
    switch (protocol) {
      case CHAT -> {
        if ("[DONE]".equals(last.data())) {
          boolean errorBefore = events.stream().map(e -> object(e.data()))
              .anyMatch(j -> j != null && j.containsKey("error"));
          return completed(brokenOff, errorBefore, body);
        }
        if (data != null && data.getValue("error") instanceof JsonObject error
            && error.getValue("message") instanceof String message) {
          return clean(String.valueOf(error.getValue("code")), message, body);
        }
      }
      case RESPONSES -> {
        if ("response.completed".equals(last.type()) || "response.incomplete".equals(last.type())) {
          return completed(brokenOff, false, body);
        }
        if (("error".equals(last.type()) || "response.failed".equals(last.type())) && data != null) {
          JsonObject error = data.getValue("error") instanceof JsonObject e ? e
              : data.getValue("response") instanceof JsonObject r && r.getValue("error") instanceof JsonObject e
                  ? e : data;
          return clean(String.valueOf(error.getValue("code")), String.valueOf(error.getValue("message")), body);
        }
      }
      case MESSAGES -> {
        if ("message_stop".equals(last.type())) {
          return completed(brokenOff, false, body);
        }
        if ("error".equals(last.type()) && data != null && data.getValue("error") instanceof JsonObject error) {
          return clean(String.valueOf(error.getValue("type")), String.valueOf(error.getValue("message")), body);
        }
      }
      default -> throw new IllegalStateException("unknown protocol " + protocol);
    }
    return Result.broken("a stream that ended without its terminating event or an error event"
        + (brokenOff == null ? "" : " (" + brokenOff.getMessage() + ")"), tail(body));
  }

  private static Result completed(Throwable brokenOff, boolean errorBefore, String body) {
    if (errorBefore) {
      return Result.broken("an error event before the terminator", tail(body));
    }
    if (brokenOff != null) {
      return Result.broken("the connection broke after the terminator (" + brokenOff.getMessage() + ")",
          tail(body));
    }
    return Result.complete();
  }

  private static Result clean(String code, String message, String body) {
    if (CLASS_NAME.matcher(message).find()) {
      return Result.broken("an error message naming a Java class", body);
    }
    return new Result(Verdict.CLEAN_ERROR, code, null);
  }

  private static JsonObject object(String text) {
    if (text == null || text.isBlank() || text.charAt(0) != '{') {
      return null;
    }
    try {
      return new JsonObject(text);
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private static String tail(String body) {
    return body.length() <= 300 ? body : "…" + body.substring(body.length() - 300);
  }

  static String snippet(String body) {
    if (body == null) {
      return "(no body)";
    }
    return body.length() <= 300 ? body : body.substring(0, 300) + "…";
  }
}
