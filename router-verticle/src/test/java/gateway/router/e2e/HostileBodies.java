package gateway.router.e2e;

import gateway.router.e2e.FuzzJson.Arr;
import gateway.router.e2e.FuzzJson.Entry;
import gateway.router.e2e.FuzzJson.Obj;
import gateway.router.e2e.FuzzJson.Place;
import gateway.router.e2e.FuzzJson.Raw;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile request bodies: a valid body of the endpoint with a few of its fields
 * replaced, removed or written twice with values of the wrong type, numbers no type holds,
 * strings with control characters, lone surrogates or bytes that are not UTF-8, and nesting
 * deeper than any parser allows; now and then the whole body broken.
 */
final class HostileBodies {
  private HostileBodies() {
  }

  /** One change to a body; {@code where} picks a field among all of them, modulo their number. */
  sealed interface Mutation {
    void apply(Object root);
  }

  record Replace(int where, Object value) implements Mutation {
    public void apply(Object root) {
      List<Place> places = FuzzJson.places(root);
      if (!places.isEmpty()) {
        FuzzJson.replace(places.get(Math.floorMod(where, places.size())), FuzzJson.copy(value));
      }
    }

    @Override
    public String toString() {
      return "replace #" + where + " with " + shown(value);
    }
  }

  record Remove(int where) implements Mutation {
    public void apply(Object root) {
      List<Place> places = FuzzJson.places(root);
      if (!places.isEmpty()) {
        FuzzJson.remove(places.get(Math.floorMod(where, places.size())));
      }
    }
  }

  record Duplicate(int where, Object value, boolean before) implements Mutation {
    public void apply(Object root) {
      List<Place> fields = FuzzJson.places(root).stream().filter(p -> p.container() instanceof Obj).toList();
      if (!fields.isEmpty()) {
        FuzzJson.duplicate(fields.get(Math.floorMod(where, fields.size())), FuzzJson.copy(value), before);
      }
    }

    @Override
    public String toString() {
      return "duplicate #" + where + (before ? " before" : " after") + " with " + shown(value);
    }
  }

  record AddField(String key, Object value) implements Mutation {
    public void apply(Object root) {
      if (root instanceof Obj object) {
        object.entries().add(new Entry(key, FuzzJson.copy(value)));
      }
    }

    @Override
    public String toString() {
      return "add '" + shown(key) + "': " + shown(value);
    }
  }

  /** What happens to the body as a whole, after its mutations. */
  enum Shape { INTACT, TRUNCATED, NOT_AN_OBJECT, EMPTY }

  static Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Integer> where = Arbitraries.integers().between(0, 9_999);
    Arbitrary<Mutation> one = Arbitraries.frequencyOf(
        Tuple.of(6, Combinators.combine(where, values()).as(Replace::new)),
        Tuple.of(2, where.map(Remove::new)),
        Tuple.of(2, Combinators.combine(where, values(), Arbitraries.of(true, false)).as(Duplicate::new)),
        Tuple.of(1, Combinators.combine(keys(), values()).as(AddField::new)));
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(List.<Mutation>of())),
        Tuple.of(8, one.list().ofMinSize(1).ofMaxSize(3)));
  }

  static Arbitrary<Shape> shapes() {
    return Arbitraries.frequencyOf(Tuple.of(40, Arbitraries.just(Shape.INTACT)),
        Tuple.of(1, Arbitraries.just(Shape.TRUNCATED)), Tuple.of(1, Arbitraries.just(Shape.NOT_AN_OBJECT)),
        Tuple.of(1, Arbitraries.just(Shape.EMPTY)));
  }

  /** The body's bytes, after its mutations and its shape. */
  static byte[] build(Object base, List<Mutation> mutations, Shape shape, int cut) {
    Object root = FuzzJson.copy(base);
    mutations.forEach(m -> m.apply(root));
    byte[] bytes = FuzzJson.bytes(root);
    return switch (shape) {
      case INTACT -> bytes;
      case TRUNCATED -> Arrays.copyOf(bytes, Math.floorMod(cut, Math.max(1, bytes.length)));
      case NOT_AN_OBJECT -> FuzzJson.bytes(new Arr(List.of(root)));
      case EMPTY -> new byte[0];
    };
  }

  static Arbitrary<Object> values() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, wrongTypes()),
        Tuple.of(2, numbers()),
        Tuple.of(4, strings()),
        Tuple.of(1, nesting()),
        Tuple.of(1, notUtf8()));
  }

  private static Arbitrary<String> keys() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("model", "messages", "stream", "tools", "input", "max_tokens", "n", "user",
            "metadata", "reasoning", "service_tier", "tool_choice", "system", "amount_credits")),
        Tuple.of(1, strings().filter(String.class::isInstance).map(String.class::cast)));
  }

  private static Arbitrary<Object> wrongTypes() {
    return Arbitraries.of(Raw.text("null"), true, false, 0, -1, 1.5, "", "x",
        new Arr(List.of()), new Obj(List.of()),
        new Arr(List.of(1, "a", Raw.text("null"), new Obj(List.of()))),
        new Obj(List.of(new Entry("a", 1))),
        new Obj(List.of(new Entry("type", "function"), new Entry("function", "x"))),
        new Obj(List.of(new Entry("role", "user"))),
        new Arr(List.of(new Obj(List.of(new Entry("type", 5))))));
  }

  private static Arbitrary<Object> numbers() {
    return Arbitraries.of("1e400", "-1e400", "123456789012345678901234567890", "-123456789012345678901234567890",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "2147483647", "2147483648",
        "4294967296", "1e-400", "-0", "0.0000001", "4.9e-324", "1.7976931348623157e308", "1e18", "-1.5e3",
        "1" + "0".repeat(1_500), "0." + "1".repeat(1_500))
        .map(Raw::text);
  }

  private static Arbitrary<Object> strings() {
    Arbitrary<Object> fixed = Arbitraries.of("\u0000", "a\u0000b", "\u001f", "\u007f", "\ud800", "x\udfff",
        "\udfff\ud800", "\ud83d\ude00", "\r\n", "\u202etxt", "' OR 1=1 --", "%00", "${jndi:ldap://x/y}",
        "<script>", "../../etc/passwd", "\uffff", "\ufeff", "claude", "*", "wild-\u0000");
    Arbitrary<Object> anyChars = Arbitraries.strings().all().ofMaxLength(12).map(s -> (Object) s);
    Arbitrary<Object> long_ = Arbitraries.of(1_000, 100_000).map(n -> (Object) "a".repeat(n));
    return Arbitraries.frequencyOf(Tuple.of(4, fixed), Tuple.of(3, anyChars), Tuple.of(1, long_));
  }

  private static Arbitrary<Object> nesting() {
    return Arbitraries.of(10, 100, 300, 999, 1_500, 20_000).flatMap(depth -> Arbitraries.of(true, false).map(arrays -> {
      String open = arrays ? "[" : "{\"a\":";
      String close = arrays ? "]" : "}";
      return (Object) new Raw((open.repeat(depth) + "1" + close.repeat(depth)).getBytes(StandardCharsets.US_ASCII),
          (arrays ? "[" : "{") + "×" + depth);
    }));
  }

  /** Strings whose bytes are not UTF-8, or raw control bytes JSON forbids unescaped. */
  private static Arbitrary<Object> notUtf8() {
    return Arbitraries.of(
        new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xc0, (byte) 0xaf},
        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80,
            (byte) 0x80, (byte) 0x80}, new byte[] {'a', 0, 'b'}, new byte[] {0x01}, new byte[] {'\n'})
        .map(inner -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.write('"');
          out.writeBytes(inner);
          out.write('"');
          return (Object) new Raw(out.toByteArray(), "\"" + FuzzJson.show(inner, 20) + "\"");
        });
  }

  /**
   * The top-level field a lone replacement or removal hit in an otherwise intact body, or null (several
   * changes, a nested place, a broken body): the field a refusal of that body must name.
   */
  static String onlyFieldHit(Object base, List<Mutation> mutations, Shape shape) {
    if (shape != Shape.INTACT || mutations.size() != 1) {
      return null;
    }
    int where;
    if (mutations.get(0) instanceof Replace replace) {
      where = replace.where();
    } else if (mutations.get(0) instanceof Remove remove) {
      where = remove.where();
    } else {
      return null;
    }
    List<Place> places = FuzzJson.places(base);
    if (places.isEmpty()) {
      return null;
    }
    Place place = places.get(Math.floorMod(where, places.size()));
    return place.container() == base ? ((Obj) base).entries().get(place.index()).key() : null;
  }

  static String shown(Object value) {
    if (value instanceof String s) {
      StringBuilder b = new StringBuilder("\"");
      s.chars().limit(40).forEach(c -> b.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
          : String.format("\\u%04x", c)));
      return b.append(s.length() > 40 ? "…(" + s.length() + ")\"" : "\"").toString();
    }
    if (value instanceof Obj || value instanceof Arr) {
      return FuzzJson.show(FuzzJson.bytes(value), 80);
    }
    return String.valueOf(value);
  }
}
