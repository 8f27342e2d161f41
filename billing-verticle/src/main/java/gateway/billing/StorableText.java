package gateway.billing;

/**
 * Text as Postgres can store it. A {@code text} column refuses U+0000, so a NUL anywhere in a
 * model name or an error message would make a settle fail on every retry and the request go
 * free; the router refuses such names, and this makes sure a charge never depends on it.
 */
final class StorableText {
  private StorableText() {
  }

  static String of(String text) {
    return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
  }
}
