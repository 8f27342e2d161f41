package gateway.router.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile {@code multipart/form-data} bodies: a valid form of the endpoint with a few of
 * its parts changed (values that are not UTF-8, carry NUL and control characters, numbers no type
 * holds, a part's name, file name or content type broken, a part removed or sent twice), and now and
 * then the framing broken: truncated, no closing boundary, a boundary the header does not announce,
 * none at all, bare LF line ends, a part without its blank line, a boundary longer than RFC 2046 allows.
 */
final class HostileForms {
  static final String BOUNDARY = "fuzzBoundary7MA4YWxkTrZu0gW";

  private HostileForms() {
  }

  /** One part: a field ({@code filename} null) or a file. */
  record Part(String name, String filename, String contentType, byte[] value) {
    static Part field(String name, String value) {
      return new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
    }

    static Part file(String name, String filename, String contentType, byte[] value) {
      return new Part(name, filename, contentType, value);
    }
  }

  /** One change to the parts; {@code where} picks a part modulo their number. */
  sealed interface Change {
    void apply(List<Part> parts);
  }

  record NewValue(int where, Value value) implements Change {
    public void apply(List<Part> parts) {
      int i = Math.floorMod(where, parts.size());
      Part p = parts.get(i);
      parts.set(i, new Part(p.name(), p.filename(), p.contentType(), value.bytes()));
    }
  }

  record Dropped(int where) implements Change {
    public void apply(List<Part> parts) {
      parts.remove(Math.floorMod(where, parts.size()));
    }
  }

  record SentTwice(int where, Value value) implements Change {
    public void apply(List<Part> parts) {
      int i = Math.floorMod(where, parts.size());
      Part p = parts.get(i);
      parts.add(i + 1, new Part(p.name(), p.filename(), p.contentType(), value.bytes()));
    }
  }

  record NewName(int where, String name) implements Change {
    public void apply(List<Part> parts) {
      int i = Math.floorMod(where, parts.size());
      Part p = parts.get(i);
      parts.set(i, new Part(name, p.filename(), p.contentType(), p.value()));
    }

    @Override
    public String toString() {
      return "NewName[" + where + ", " + HostileBodies.shown(name) + "]";
    }
  }

  record NewFilename(int where, String filename) implements Change {
    public void apply(List<Part> parts) {
      int i = Math.floorMod(where, parts.size());
      Part p = parts.get(i);
      parts.set(i, new Part(p.name(), filename, p.contentType() == null ? "image/png" : p.contentType(), p.value()));
    }

    @Override
    public String toString() {
      return "NewFilename[" + where + ", " + HostileBodies.shown(filename) + "]";
    }
  }

  record NewContentType(int where, String contentType) implements Change {
    public void apply(List<Part> parts) {
      int i = Math.floorMod(where, parts.size());
      Part p = parts.get(i);
      parts.set(i, new Part(p.name(), p.filename(), contentType, p.value()));
    }
  }

  /** A part's value as bytes, shown readably. */
  record Value(byte[] bytes) {
    @Override
    public String toString() {
      return FuzzJson.show(bytes, 40);
    }
  }

  /** How the body is framed as a whole. */
  enum Framing {
    INTACT, TRUNCATED, NO_CLOSING_BOUNDARY, UNANNOUNCED_BOUNDARY, NO_BOUNDARY_PARAMETER, LF_ONLY, NO_BLANK_LINE,
    PREAMBLE_AND_EPILOGUE, OVERLONG_BOUNDARY, EMPTY, SENT_AS_JSON
  }

  static Arbitrary<List<Change>> changes() {
    Arbitrary<Integer> where = Arbitraries.integers().between(0, 999);
    Arbitrary<Change> one = Arbitraries.frequencyOf(
        Tuple.of(6, Combinators.combine(where, values()).as(NewValue::new)),
        Tuple.of(2, where.map(Dropped::new)),
        Tuple.of(2, Combinators.combine(where, values()).as(SentTwice::new)),
        Tuple.of(1, Combinators.combine(where, names()).as(NewName::new)),
        Tuple.of(1, Combinators.combine(where, names()).as(NewFilename::new)),
        Tuple.of(1, Combinators.combine(where, Arbitraries.of("", "text/plain", "application/json", "image/png; x=\"",
            "multipart/form-data; boundary=" + BOUNDARY, "x".repeat(2_000))).as(NewContentType::new)));
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(List.<Change>of())),
        Tuple.of(8, one.list().ofMinSize(1).ofMaxSize(3)));
  }

  static Arbitrary<Framing> framings() {
    return Arbitraries.frequencyOf(Tuple.of(30, Arbitraries.just(Framing.INTACT)),
        Tuple.of(10, Arbitraries.of(Arrays.stream(Framing.values()).filter(f -> f != Framing.INTACT).toList())));
  }

  private static Arbitrary<Value> values() {
    Arbitrary<String> texts = Arbitraries.of("", "\u0000", "a\u0000b", "\u001f", "\u007f", "\r\n", "\r\n\r\n",
        "\ud83d\ude00", "\u202etxt", "\ufeff", "%00", "' OR 1=1 --", "${jndi:ldap://x/y}", "<script>", "null", "true",
        "[]", "{}", "{\"a\":", "-1", "0", "1.5", "1e400", "-1e400", "2147483648", "9223372036854775808",
        "123456789012345678901234567890", "1" + "0".repeat(1_500), "4", "1024x1024", "sora", "*", "wild-\u0000",
        "--" + BOUNDARY, "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n9",
        "a".repeat(100_000));
    Arbitrary<Value> text = texts.map(s -> new Value(s.getBytes(StandardCharsets.UTF_8)));
    Arbitrary<Value> notUtf8 = Arbitraries.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3},
        new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {'a', 0, 'b'})
        .map(Value::new);
    Arbitrary<Value> anyChars = Arbitraries.strings().all().ofMaxLength(12)
        .map(s -> new Value(s.getBytes(StandardCharsets.UTF_8)));
    return Arbitraries.frequencyOf(Tuple.of(5, text), Tuple.of(2, notUtf8), Tuple.of(2, anyChars));
  }

  private static Arbitrary<String> names() {
    return Arbitraries.of("", "\u0000", "image\u0000", "prompt\"; filename=\"x", "a\r\nContent-Type: text/html",
        "image[]", "mask", "model", "\u00e9", "x".repeat(5_000), "..\\..\\etc\\passwd", "\"");
  }

  /** The parts after their changes. */
  static List<Part> changed(List<Part> base, List<Change> changes) {
    List<Part> parts = new ArrayList<>(base);
    for (Change change : changes) {
      if (!parts.isEmpty()) {
        change.apply(parts);
      }
    }
    return parts;
  }

  /** The body's bytes, framed as {@code framing} says. */
  static byte[] body(List<Part> parts, Framing framing, int cut) {
    String boundary = framing == Framing.OVERLONG_BOUNDARY ? "b".repeat(200)
        : framing == Framing.UNANNOUNCED_BOUNDARY ? "someOtherBoundary" : BOUNDARY;
    String eol = framing == Framing.LF_ONLY ? "\n" : "\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (framing == Framing.PREAMBLE_AND_EPILOGUE) {
      write(out, "preamble \u0000 text" + eol);
    }
    for (Part part : parts) {
      StringBuilder head = new StringBuilder("--").append(boundary).append(eol)
          .append("Content-Disposition: form-data; name=\"").append(part.name()).append('"');
      if (part.filename() != null) {
        head.append("; filename=\"").append(part.filename()).append('"');
      }
      head.append(eol);
      if (part.contentType() != null) {
        head.append("Content-Type: ").append(part.contentType()).append(eol);
      }
      if (framing != Framing.NO_BLANK_LINE) {
        head.append(eol);
      }
      write(out, head.toString());
      out.writeBytes(part.value());
      write(out, eol);
    }
    if (framing != Framing.NO_CLOSING_BOUNDARY) {
      write(out, "--" + boundary + "--" + eol);
    }
    if (framing == Framing.PREAMBLE_AND_EPILOGUE) {
      write(out, "epilogue" + eol);
    }
    byte[] bytes = out.toByteArray();
    return switch (framing) {
      case TRUNCATED -> Arrays.copyOf(bytes, Math.floorMod(cut, Math.max(1, bytes.length)));
      case EMPTY -> new byte[0];
      default -> bytes;
    };
  }

  /** The request's content type for the framing. */
  static String contentType(Framing framing) {
    return switch (framing) {
      case NO_BOUNDARY_PARAMETER -> "multipart/form-data";
      case OVERLONG_BOUNDARY -> "multipart/form-data; boundary=" + "b".repeat(200);
      case SENT_AS_JSON -> "application/json";
      default -> "multipart/form-data; boundary=" + BOUNDARY;
    };
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
