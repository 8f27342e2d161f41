package gateway.media.storage;

/**
 * An HTTP {@code Range} header (RFC 9110 §14.2) read against an object's size. One range per request:
 * {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} (the last n bytes). A header that is malformed, names
 * another unit or asks for several ranges is ignored, as the RFC allows, and the whole object is served.
 */
record RangeHeader(Kind kind, ByteRange range) {

  enum Kind { WHOLE, PARTIAL, UNSATISFIABLE }

  private static final RangeHeader WHOLE = new RangeHeader(Kind.WHOLE, null);
  private static final RangeHeader UNSATISFIABLE = new RangeHeader(Kind.UNSATISFIABLE, null);
  private static final String PREFIX = "bytes=";
  private static final int MAX_DIGITS = 18;

  static RangeHeader parse(String header, long size) {
    if (header == null) {
      return WHOLE;
    }
    String value = header.strip();
    if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || value.indexOf(',') >= 0) {
      return WHOLE;
    }
    String spec = value.substring(PREFIX.length()).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return WHOLE;
    }
    String from = spec.substring(0, dash).strip();
    String to = spec.substring(dash + 1).strip();
    if (from.isEmpty()) {
      Long suffix = number(to);
      if (suffix == null) {
        return WHOLE;
      }
      if (suffix == 0 || size == 0) {
        return UNSATISFIABLE;
      }
      return new RangeHeader(Kind.PARTIAL, new ByteRange(Math.max(0, size - suffix), size - 1));
    }
    Long first = number(from);
    Long last = to.isEmpty() ? Long.valueOf(Long.MAX_VALUE - 1) : number(to);
    if (first == null || last == null || last < first) {
      return WHOLE;
    }
    if (first >= size) {
      return UNSATISFIABLE;
    }
    return new RangeHeader(Kind.PARTIAL, new ByteRange(first, Math.min(last, size - 1)));
  }

  private static Long number(String digits) {
    if (digits.isEmpty() || digits.length() > MAX_DIGITS) {
      return null;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return null;
      }
    }
    return Long.parseLong(digits);
  }
}
