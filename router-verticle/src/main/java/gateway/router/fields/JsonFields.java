package gateway.router.fields;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of the fields of a client's JSON body, for the parsers of every endpoint. Each read
 * answers the field's value, or null when the field is absent or JSON null (for an optional field
 * null means absent), and refuses anything else with a 400 {@code invalid_value} whose message and
 * {@code param} name the field by its path as the client wrote it ({@code messages[2].content}) and
 * say what was expected — never a Java type.
 *
 * <p>Identifiers the gateway stores or keys on (model names, {@code user}, metadata keys, a pinned
 * channel) are also refused when they hold control characters or lone surrogates, which Postgres
 * cannot store and which make one name look like another.
 */
public final class JsonFields {
  /**
   * How deep a body may nest. Far beyond any real request (a tool's schema rarely passes 20), and
   * far below the depth at which writing the body again (upstream, to Postgres, echoed in an
   * answer) overflows a stack or Jackson's limit of 1,000.
   */
  public static final int MAX_DEPTH = 128;

  private JsonFields() {
  }

  /** Refuses a body nested deeper than {@link #MAX_DEPTH} with a 400, before anything reads it. */
  public static void checkDepth(Object root) {
    checkDepth(root, 1);
  }

  /** Recursion is bounded: it stops with the 400 once past {@link #MAX_DEPTH}. */
  private static void checkDepth(Object value, int depth) {
    Iterable<?> children = value instanceof JsonObject o ? o.getMap().values()
        : value instanceof java.util.Map<?, ?> map ? map.values()
        : value instanceof JsonArray a ? a.getList()
        : value instanceof java.util.List<?> list ? list : null;
    if (children == null) {
      return;
    }
    if (depth > MAX_DEPTH) {
      throw GatewayError.INVALID_JSON.exception("The request body nests deeper than " + MAX_DEPTH + " levels.");
    }
    for (Object child : children) {
      checkDepth(child, depth + 1);
    }
  }

  /** {@code parent.field}, or {@code field} at the top level. */
  public static String path(String parent, String field) {
    return parent == null || parent.isEmpty() ? field : parent + "." + field;
  }

  /** {@code parent[index]}. */
  public static String path(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /** A 400 naming the field at {@code path}: "'path' must be {expected}". */
  public static GatewayException invalid(String path, String expected) {
    return GatewayError.INVALID_VALUE.exception("'" + path + "' must be " + expected, path);
  }

  public static GatewayException missing(String path) {
    return GatewayError.MISSING_FIELD.exception("'" + path + "' is required", path);
  }

  public static JsonObject object(JsonObject json, String parent, String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof JsonObject) {
      return (JsonObject) value;
    }
    throw invalid(path(parent, field), "an object");
  }

  public static JsonArray array(JsonObject json, String parent, String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof JsonArray) {
      return (JsonArray) value;
    }
    throw invalid(path(parent, field), "an array");
  }

  public static String string(JsonObject json, String parent, String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw invalid(path(parent, field), "a string");
  }

  public static Boolean bool(JsonObject json, String parent, String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    throw invalid(path(parent, field), "true or false");
  }

  /** A finite number: JSON's {@code 1e400} parses as infinity, which no provider takes. */
  public static Number number(JsonObject json, String parent, String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof Number n && Double.isFinite(n.doubleValue())) {
      return (Number) value;
    }
    throw invalid(path(parent, field), "a finite number");
  }

  /** A string, or an array of strings (e.g. {@code stop}). */
  public static void stringOrStrings(JsonObject json, String parent, String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof String) {
      return;
    }
    String where = path(parent, field);
    if (!(value instanceof JsonArray items)) {
      throw invalid(where, "a string or an array of strings");
    }
    for (int i = 0; i < items.size(); i++) {
      if (!(items.getValue(i) instanceof String)) {
        throw invalid(path(where, i), "a string");
      }
    }
  }

  /** An array whose every item is an object; empty when the field is absent or null. */
  public static List<JsonObject> objects(JsonObject json, String parent, String field) {
    JsonArray array = array(json, parent, field);
    List<JsonObject> objects = new ArrayList<>();
    if (array == null) {
      return objects;
    }
    String where = path(parent, field);
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject item)) {
        throw invalid(path(where, i), "an object");
      }
      objects.add(item);
    }
    return objects;
  }

  /** A string field that is an identifier: also refused when it holds control characters or lone surrogates. */
  public static String identifier(JsonObject json, String parent, String field) {
    String value = string(json, parent, field);
    if (value != null) {
      checkIdentifier(value, path(parent, field));
    }
    return value;
  }

  /** The keys of an object field (e.g. {@code metadata}), each an identifier. */
  public static JsonObject identifierKeys(JsonObject json, String parent, String field) {
    JsonObject object = object(json, parent, field);
    if (object != null) {
      for (String key : object.fieldNames()) {
        checkIdentifier(key, path(parent, field));
      }
    }
    return object;
  }

  /** Refuses an identifier holding U+0000–U+001F, U+007F or a lone surrogate, naming where it came from. */
  public static void checkIdentifier(String value, String where) {
    String problem = identifierProblem(value);
    if (problem != null) {
      throw GatewayError.INVALID_VALUE.exception("'" + where + "' must not contain " + problem, where);
    }
  }

  /** What makes a string unfit as an identifier, or null when it is fit. */
  public static String identifierProblem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "control characters (found U+" + String.format("%04X", (int) c) + ")";
      }
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "unpaired UTF-16 surrogates (not valid Unicode)";
      }
    }
    return null;
  }

  /** Refuses a body holding, in any key or string at any depth, text Postgres cannot store; names the first place. */
  public static void checkStorableTree(Object node, String where) {
    if (node instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        String at = path(where, key);
        checkStorableText(key, at);
        checkStorableTree(object.getValue(key), at);
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        checkStorableTree(array.getValue(i), path(where, i));
      }
    } else if (node instanceof String text) {
      checkStorableText(text, where);
    }
  }

  /** Refuses a free-text string Postgres cannot store: a NUL character or a lone surrogate. */
  public static void checkStorableText(String value, String where) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        throw GatewayError.INVALID_VALUE.exception("'" + where + "' must not contain NUL characters", where);
      }
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw GatewayError.INVALID_VALUE.exception("'" + where + "' must not contain unpaired UTF-16 surrogates",
            where);
      }
    }
  }
}
