package gateway.router.provider.chatshape;

import gateway.common.GatewayError;
import gateway.router.fields.JsonFields;
import gateway.router.provider.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the parts of an OpenAI chat request that adapters of other protocols translate:
 * message content (a string or an array of typed parts), image URLs and tool-call arguments.
 */
public final class ChatContent {
  private static final String DATA_PREFIX = "data:";
  private static final String BASE64_MARKER = ";base64,";
  private static final int MAX_QUOTED_ID = 100;

  private ChatContent() {
  }

  /** A {@code data:} URL's media type and base64 payload. */
  public record DataUrl(String mediaType, String base64) {

    /** Null when the URL is not a base64 {@code data:} URL (e.g. an http one). */
    public static DataUrl parse(String url) {
      if (url == null || !url.startsWith(DATA_PREFIX)) {
        return null;
      }
      int marker = url.indexOf(BASE64_MARKER);
      if (marker < 0) {
        return null;
      }
      String mediaType = url.substring(DATA_PREFIX.length(), marker);
      return new DataUrl(mediaType.isEmpty() ? "application/octet-stream" : mediaType,
          url.substring(marker + BASE64_MARKER.length()));
    }
  }

  /** The content as typed parts: a plain string becomes one text part; null becomes none. */
  public static List<JsonObject> parts(Object content) {
    List<JsonObject> parts = new ArrayList<>();
    if (content instanceof String text) {
      parts.add(new JsonObject().put("type", "text").put("text", text));
    } else if (content instanceof JsonArray array) {
      for (Object part : array) {
        if (part instanceof JsonObject p) {
          parts.add(p);
        } else if (part instanceof String text) {
          parts.add(new JsonObject().put("type", "text").put("text", text));
        }
      }
    }
    return parts;
  }

  /** The text of a content, its text parts joined by newlines; other parts are left out. */
  public static String text(Object content) {
    if (content instanceof String text) {
      return text;
    }
    List<String> texts = new ArrayList<>();
    for (JsonObject part : parts(content)) {
      if (part.getValue("text") instanceof String text) {
        texts.add(text);
      }
    }
    return String.join("\n", texts);
  }

  /** The URL of an {@code image_url} part, given as {@code {"url": ...}} or, by older clients, as a bare string. */
  public static String imageUrl(JsonObject part) {
    Object image = part.getValue("image_url");
    if (image instanceof JsonObject o && o.getValue("url") instanceof String url) {
      return url;
    }
    return image instanceof String url ? url : null;
  }

  /**
   * The arguments of an assistant's tool call as an object. OpenAI carries them as a JSON string;
   * providers that want an object cannot take anything else, so a malformed one is the client's 400.
   */
  public static JsonObject toolArguments(JsonObject toolCall) {
    JsonObject function = Json.object(toolCall, "function");
    Object arguments = function.getValue("arguments");
    if (arguments instanceof JsonObject object) {
      return object;
    }
    if (arguments == null || (arguments instanceof String s && s.isBlank())) {
      return new JsonObject();
    }
    JsonObject parsed = arguments instanceof String s ? Json.objectOrNull(s) : null;
    if (parsed == null) {
      // The id is the client's text and the message ends up in the usage log: named only when it is plain.
      String id = Json.string(toolCall, "id", null);
      String call = id != null && id.length() <= MAX_QUOTED_ID && JsonFields.identifierProblem(id) == null
          ? "tool call '" + id + "'" : "a tool call";
      throw GatewayError.INVALID_VALUE.exception("the arguments of " + call + " must be a JSON object", "messages");
    }
    return parsed;
  }

  /** {@code stop}: a string or an array of strings, as a list. */
  public static JsonArray stopSequences(Object stop) {
    JsonArray sequences = new JsonArray();
    if (stop instanceof String s) {
      sequences.add(s);
    } else if (stop instanceof JsonArray array) {
      array.forEach(item -> {
        if (item instanceof String s) {
          sequences.add(s);
        }
      });
    }
    return sequences;
  }
}
