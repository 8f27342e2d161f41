package gateway.router.provider.chatshape;

/**
 * A strict reader moving over one JSON text held in a string, checking it as it goes and building
 * nothing: for reading a few fields of an event that is relayed as it came. It accepts RFC 8259 and
 * less: no comments, no line breaks unless asked for (an SSE data line has none), no lone surrogates, no escaped or
 * repeated member names, bounded depth, members per object, name and number lengths. Whatever it accepts, the gateway's
 * JSON parser reads as the same value; anything else is {@link Unreadable}, left to that parser.
 *
 * <p>Why not Jackson's streaming parser, which the gateway already has: the same scan written on it (duplicate-name
 * detection on, as the relay needs) took ~1,000 ns for a 330-character chunk against ~530 ns here, slower than
 * parsing the chunk into a {@code JsonObject} (~850 ns); this reader exists only to save that CPU on every chunk.
 */
final class JsonCursor {
  static final int MAX_DEPTH = 64;
  static final int MAX_NAME_CHARS = 256;
  static final int MAX_NUMBER_CHARS = 100;
  /** Repeated names are looked for pairwise: more members than this in one object are the parser's. */
  static final int MAX_MEMBERS = 64;

  /** The text is not one this reader vouches for: a verdict, so it carries no stack trace. */
  static final class Unreadable extends RuntimeException {
    static final Unreadable INSTANCE = new Unreadable();

    private Unreadable() {
      super("not plain JSON", null, false, false);
    }
  }

  private final String text;
  private final int length;
  private final boolean lineBreaks;
  private int pos;
  // The names of the objects being read, innermost last, as start/end pairs: for spotting a repeated name.
  private int[] names = new int[32];
  private int namesTop;
  private int nameStart;
  private int nameEnd;
  private int separator;

  JsonCursor(String text) {
    this(text, false);
  }

  /** With {@code lineBreaks}, CR and LF count as whitespace too, as in a whole answer (an SSE data line has none). */
  JsonCursor(String text, boolean lineBreaks) {
    this.text = text;
    this.length = text.length();
    this.lineBreaks = lineBreaks;
  }

  int position() {
    return pos;
  }

  /** Where the name of the member just entered begins (its opening quote). */
  int nameStart() {
    return nameStart - 1;
  }

  /** Where the comma before the member just entered is; -1 for an object's first member. */
  int separator() {
    return separator;
  }

  boolean nameIs(String name) {
    return nameEnd - nameStart == name.length() && text.startsWith(name, nameStart);
  }

  /** The next character that is not whitespace, without moving past it. */
  char peek() {
    skipSpace();
    if (pos >= length) {
      throw Unreadable.INSTANCE;
    }
    return text.charAt(pos);
  }

  boolean atEnd() {
    skipSpace();
    return pos == length;
  }

  /** Enters an object at {@code depth}; the mark returned goes to {@link #nextMember}. */
  int openObject(int depth) {
    expect('{', depth);
    return namesTop;
  }

  /**
   * Moves to the next member of the object opened at {@code mark}, past its name and colon; false
   * when the object ends, its closing brace consumed.
   */
  boolean nextMember(int mark) {
    char c = peek();
    if (c == '}') {
      pos++;
      namesTop = mark;
      return false;
    }
    separator = -1;
    if (namesTop > mark) {
      if (c != ',' || namesTop - mark >= 2 * MAX_MEMBERS) {
        throw Unreadable.INSTANCE;
      }
      separator = pos++;
      c = peek();
    }
    if (c != '"') {
      throw Unreadable.INSTANCE;
    }
    nameStart = pos + 1;
    pos = JsonStrings.end(text, nameStart);
    nameEnd = pos - 1;
    if (nameEnd - nameStart > MAX_NAME_CHARS || JsonStrings.escaped(text, nameStart, nameEnd)) {
      throw Unreadable.INSTANCE;
    }
    for (int i = mark; i < namesTop; i += 2) {
      if (names[i + 1] - names[i] == nameEnd - nameStart
          && text.regionMatches(names[i], text, nameStart, nameEnd - nameStart)) {
        throw Unreadable.INSTANCE;
      }
    }
    if (namesTop + 2 > names.length) {
      names = java.util.Arrays.copyOf(names, names.length * 2);
    }
    names[namesTop++] = nameStart;
    names[namesTop++] = nameEnd;
    expect(':', 0);
    return true;
  }

  /** Enters an array at {@code depth}. */
  void openArray(int depth) {
    expect('[', depth);
  }

  /** Moves to the next element of an array; false when it ends, its closing bracket consumed. */
  boolean nextElement(boolean first) {
    char c = peek();
    if (c == ']') {
      pos++;
      return false;
    }
    if (!first) {
      if (c != ',') {
        throw Unreadable.INSTANCE;
      }
      pos++;
    }
    return true;
  }

  /** Consumes a {@code null} if one is next. */
  boolean isNull() {
    if (peek() == 'n') {
      literal("null");
      return true;
    }
    return false;
  }

  /** The string value that is next, unescaped. */
  String string() {
    if (peek() != '"') {
      throw Unreadable.INSTANCE;
    }
    int start = pos + 1;
    pos = JsonStrings.end(text, start);
    return JsonStrings.value(text, start, pos - 1);
  }

  /** Moves past the value that is next, at {@code depth}, checking it. */
  void skipValue(int depth) {
    char c = peek();
    switch (c) {
      case '{' -> {
        int mark = openObject(depth);
        while (nextMember(mark)) {
          skipValue(depth + 1);
        }
      }
      case '[' -> {
        openArray(depth);
        boolean first = true;
        while (nextElement(first)) {
          first = false;
          skipValue(depth + 1);
        }
      }
      case '"' -> pos = JsonStrings.end(text, pos + 1);
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  private void expect(char c, int depth) {
    if (peek() != c || depth > MAX_DEPTH) {
      throw Unreadable.INSTANCE;
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < length) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && (!lineBreaks || (c != '\n' && c != '\r'))) {
        return;
      }
      pos++;
    }
  }

  private void literal(String word) {
    if (!text.startsWith(word, pos)) {
      throw Unreadable.INSTANCE;
    }
    pos += word.length();
  }

  /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} within a double's range (only an exponent leaves it). */
  private void number() {
    int start = pos;
    if (pos < length && text.charAt(pos) == '-') {
      pos++;
    }
    if (pos < length && text.charAt(pos) == '0') {
      pos++;
    } else if (digits() == 0) {
      throw Unreadable.INSTANCE;
    }
    if (pos < length && text.charAt(pos) == '.') {
      pos++;
      if (digits() == 0) {
        throw Unreadable.INSTANCE;
      }
    }
    if (pos < length && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      pos++;
      if (pos < length && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      if (digits() == 0 || pos - start > MAX_NUMBER_CHARS
          || Double.isInfinite(Double.parseDouble(text.substring(start, pos)))) {
        // The parser reads one beyond a double as infinity, which it writes back as the string "Infinity".
        throw Unreadable.INSTANCE;
      }
    }
    if (pos - start > MAX_NUMBER_CHARS) {
      throw Unreadable.INSTANCE;
    }
  }

  private int digits() {
    int start = pos;
    while (pos < length && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    return pos - start;
  }
}
