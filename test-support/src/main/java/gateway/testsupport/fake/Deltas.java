package gateway.testsupport.fake;

import java.util.ArrayList;
import java.util.List;

/** Splits generated text and tool arguments into the fragments a stream carries; concatenated they give the input. */
final class Deltas {

  private static final int ARGUMENT_FRAGMENT_CHARS = 8;
  private static final int MAX_ARGUMENT_FRAGMENTS = 16;

  private Deltas() {
  }

  /** One piece per word, each word carrying the whitespace before it ("Hello", " from", " x"). */
  static List<String> words(String text) {
    List<String> pieces = new ArrayList<>();
    int lastNonSpace = text.length() - 1;
    while (lastNonSpace >= 0 && Character.isWhitespace(text.charAt(lastNonSpace))) {
      lastNonSpace--;
    }
    int start = 0;
    for (int i = 1; i < lastNonSpace; i++) {
      if (Character.isWhitespace(text.charAt(i)) && !Character.isWhitespace(text.charAt(i - 1))) {
        pieces.add(text.substring(start, i));
        start = i;
      }
    }
    if (start < text.length()) {
      pieces.add(text.substring(start));
    }
    return pieces;
  }

  /** {@code n} pieces of near-equal length in code points (fewer if the text is shorter than n). */
  static List<String> even(String text, int n) {
    int codePoints = text.codePointCount(0, text.length());
    int parts = Math.min(n, codePoints);
    List<String> pieces = new ArrayList<>(Math.max(parts, 0));
    int start = 0;
    for (int p = 0; p < parts; p++) {
      int take = codePoints * (p + 1) / parts - codePoints * p / parts;
      int end = text.offsetByCodePoints(start, take);
      pieces.add(text.substring(start, end));
      start = end;
    }
    return pieces;
  }

  /** At least two fragments for any argument string of two or more characters, so consumers must stitch. */
  static List<String> argumentFragments(String json) {
    int codePoints = json.codePointCount(0, json.length());
    int n = Math.max(2, Math.min(MAX_ARGUMENT_FRAGMENTS, codePoints / ARGUMENT_FRAGMENT_CHARS));
    return even(json, n);
  }

  static int wordCount(String text) {
    int count = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !inWord) {
        count++;
      }
      inWord = !space;
    }
    return count;
  }
}
