package gateway.router.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON as a fuzzer writes it: a tree that can hold what no JSON library emits — a key twice in one
 * object, numbers beyond any Java type ({@code 1e400}), lone surrogates as {@code \ud800} escapes,
 * raw bytes that are not UTF-8 — and every place in it addressed by a path, so a mutation can
 * replace, remove or duplicate any field.
 */
final class FuzzJson {
  private FuzzJson() {
  }

  /** An object whose entries may repeat a key, in the order written. */
  record Obj(List<Entry> entries) {
  }

  record Entry(String key, Object value) {
  }

  record Arr(List<Object> items) {
  }

  /** Bytes written as they are, where a value goes: raw number text, broken strings, invalid UTF-8. */
  record Raw(byte[] bytes, String shown) {
    static Raw text(String json) {
      return new Raw(json.getBytes(StandardCharsets.UTF_8), json);
    }

    @Override
    public String toString() {
      return shown;
    }
  }

  /** A place in the tree: the container and the entry or index in it. */
  record Place(Object container, int index, String path) {
  }

  static Object of(Object vertxValue) {
    if (vertxValue instanceof JsonObject object) {
      List<Entry> entries = new ArrayList<>();
      for (Map.Entry<String, Object> e : object) {
        entries.add(new Entry(e.getKey(), of(e.getValue())));
      }
      return new Obj(entries);
    }
    if (vertxValue instanceof JsonArray array) {
      List<Object> items = new ArrayList<>();
      array.forEach(item -> items.add(of(item)));
      return new Arr(items);
    }
    return vertxValue;
  }

  /** Every field and item of the tree, depth first, the root excluded. */
  static List<Place> places(Object root) {
    List<Place> places = new ArrayList<>();
    collect(root, "", places);
    return places;
  }

  private static void collect(Object node, String path, List<Place> places) {
    if (node instanceof Obj object) {
      for (int i = 0; i < object.entries().size(); i++) {
        Entry entry = object.entries().get(i);
        String at = path.isEmpty() ? entry.key() : path + "." + entry.key();
        places.add(new Place(object, i, at));
        collect(entry.value(), at, places);
      }
    } else if (node instanceof Arr array) {
      for (int i = 0; i < array.items().size(); i++) {
        String at = path + "[" + i + "]";
        places.add(new Place(array, i, at));
        collect(array.items().get(i), at, places);
      }
    }
  }

  static void replace(Place place, Object value) {
    if (place.container() instanceof Obj object) {
      Entry old = object.entries().get(place.index());
      object.entries().set(place.index(), new Entry(old.key(), value));
    } else {
      ((Arr) place.container()).items().set(place.index(), value);
    }
  }

  static void remove(Place place) {
    if (place.container() instanceof Obj object) {
      object.entries().remove(place.index());
    } else {
      ((Arr) place.container()).items().remove(place.index());
    }
  }

  /** The field's key written once more in its object, with another value, before (or after) the original. */
  static boolean duplicate(Place place, Object value, boolean before) {
    if (!(place.container() instanceof Obj object)) {
      return false;
    }
    Entry original = object.entries().get(place.index());
    object.entries().add(before ? place.index() : place.index() + 1, new Entry(original.key(), value));
    return true;
  }

  static Object copy(Object node) {
    if (node instanceof Obj object) {
      List<Entry> entries = new ArrayList<>();
      object.entries().forEach(e -> entries.add(new Entry(e.key(), copy(e.value()))));
      return new Obj(entries);
    }
    if (node instanceof Arr array) {
      List<Object> items = new ArrayList<>();
      array.items().forEach(item -> items.add(copy(item)));
      return new Arr(items);
    }
    return node;
  }

  static byte[] bytes(Object node) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(node, out);
    return out.toByteArray();
  }

  private static void write(Object node, ByteArrayOutputStream out) {
    if (node == null) {
      out.writeBytes("null".getBytes(StandardCharsets.US_ASCII));
    } else if (node instanceof Raw raw) {
      out.writeBytes(raw.bytes());
    } else if (node instanceof String text) {
      writeString(text, out);
    } else if (node instanceof Obj object) {
      out.write('{');
      for (int i = 0; i < object.entries().size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        writeString(object.entries().get(i).key(), out);
        out.write(':');
        write(object.entries().get(i).value(), out);
      }
      out.write('}');
    } else if (node instanceof Arr array) {
      out.write('[');
      for (int i = 0; i < array.items().size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        write(array.items().get(i), out);
      }
      out.write(']');
    } else {
      out.writeBytes(String.valueOf(node).getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** Escapes quotes, backslashes, controls and every surrogate, so a lone one arrives as its escape. */
  private static void writeString(String text, ByteArrayOutputStream out) {
    StringBuilder escaped = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        escaped.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        escaped.append(String.format("\\u%04x", (int) c));
      } else {
        escaped.append(c);
      }
    }
    out.writeBytes(escaped.append('"').toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The bytes as a reader can see them: printable ASCII as is, the rest escaped. */
  static String show(byte[] bytes, int limit) {
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < bytes.length && shown.length() < limit; i++) {
      int b = bytes[i] & 0xff;
      shown.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
    }
    return bytes.length > limit ? shown + "…(" + bytes.length + " bytes)" : shown.toString();
  }
}
