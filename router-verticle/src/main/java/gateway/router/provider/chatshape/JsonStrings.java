package gateway.router.provider.chatshape;

import gateway.router.provider.chatshape.JsonCursor.Unreadable;

/**
 * The strings of a text read by {@link JsonCursor}: checked as strictly as the rest (no raw control
 * characters, known escapes only, surrogates only in pairs, escaped or not), unescaped only when read.
 */
final class JsonStrings {
  private JsonStrings() {
  }

  /** Where the string whose content starts at {@code from} ends: just past its closing quote. */
  static int end(String text, int from) {
    int length = text.length();
    int pos = from;
    while (pos < length) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return pos;
      }
      if (c < 0x20) {
        throw Unreadable.INSTANCE;
      }
      if (c == '\\') {
        pos = escape(text, pos);
      } else if (Character.isHighSurrogate(c)) {
        if (pos >= length || !Character.isLowSurrogate(text.charAt(pos))) {
          throw Unreadable.INSTANCE;
        }
        pos++;
      } else if (Character.isLowSurrogate(c)) {
        throw Unreadable.INSTANCE;
      }
    }
    throw Unreadable.INSTANCE;
  }

  /** Whether the content between {@code start} and {@code end} has an escape. */
  static boolean escaped(String text, int start, int end) {
    int backslash = text.indexOf('\\', start);
    return backslash >= 0 && backslash < end;
  }

  /** The value of a string checked by {@link #end}, its content between {@code start} and {@code end}. */
  static String value(String text, int start, int end) {
    if (!escaped(text, start, end)) {
      return text.substring(start, end);
    }
    StringBuilder value = new StringBuilder(end - start);
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        value.append(c);
        continue;
      }
      char e = text.charAt(++i);
      switch (e) {
        case 'b' -> value.append('\b');
        case 'f' -> value.append('\f');
        case 'n' -> value.append('\n');
        case 'r' -> value.append('\r');
        case 't' -> value.append('\t');
        case 'u' -> {
          value.append((char) Integer.parseInt(text, i + 1, i + 5, 16)); // four ASCII hex digits, checked
          i += 4;
        }
        default -> value.append(e);
      }
    }
    return value.toString();
  }

  /** Checks the escape after a backslash at {@code pos}; a surrogate must come as an escaped high-low pair. */
  private static int escape(String text, int pos) {
    if (pos >= text.length()) {
      throw Unreadable.INSTANCE;
    }
    char c = text.charAt(pos++);
    if (c == 'u') {
      char unit = hex4(text, pos);
      pos += 4;
      if (Character.isHighSurrogate(unit)) {
        if (!text.startsWith("\\u", pos) || !Character.isLowSurrogate(hex4(text, pos + 2))) {
          throw Unreadable.INSTANCE;
        }
        pos += 6;
      } else if (Character.isLowSurrogate(unit)) {
        throw Unreadable.INSTANCE;
      }
    } else if ("\"\\/bfnrt".indexOf(c) < 0) {
      throw Unreadable.INSTANCE;
    }
    return pos;
  }

  private static char hex4(String text, int pos) {
    if (pos + 4 > text.length()) {
      throw Unreadable.INSTANCE;
    }
    int value = 0;
    for (int i = pos; i < pos + 4; i++) {
      char c = text.charAt(i);
      // ASCII only: Character.digit would take other scripts' digits too.
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) {
        throw Unreadable.INSTANCE;
      }
      value = value * 16 + digit;
    }
    return (char) value;
  }
}
