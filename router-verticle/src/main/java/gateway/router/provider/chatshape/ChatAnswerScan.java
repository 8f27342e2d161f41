package gateway.router.provider.chatshape;

import gateway.router.provider.chatshape.JsonCursor.Unreadable;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads a whole OpenAI {@code chat.completion} for writing it to an OpenAI chat client as it came: what
 * pricing reads of a parsed answer ({@link ChatUsage#fromChat}), read from its text with a {@link JsonCursor}.
 * Only an answer the parsed path would read without surprise is taken: one UTF-8 JSON object with no
 * {@code error}, a {@code model}, {@code choices} an array of objects, and a {@code usage} object whose
 * counts are absent, null or whole numbers of at most 18 digits, its {@code *_details} absent, null or
 * objects holding the same. Any other answer, or any text the cursor does not vouch for, yields null: it is parsed.
 */
public final class ChatAnswerScan {
  /** Larger answers are parsed: far above a usual chat answer, far below the parser's own limits. */
  static final int MAX_BYTES = 1024 * 1024;
  private static final int LONGEST_COUNT = 18;

  private final String text;
  private final JsonCursor cursor;
  private final ScannedAnswer answer;
  private boolean hasChoices;
  private boolean hasUsage;
  private long prompt;
  private long cached;
  private long cacheHits;
  private long completion;
  private long reasoning;

  private ChatAnswerScan(String text) {
    this.text = text;
    this.cursor = new JsonCursor(text, true);
    this.answer = new ScannedAnswer(text);
  }

  /** The answer read from the provider's body, or null when it must be parsed. */
  public static ScannedAnswer scan(Buffer body) {
    if (body == null || body.length() < 2 || body.length() > MAX_BYTES) {
      return null;
    }
    String text = body.toString(StandardCharsets.UTF_8);
    // Bytes that are not UTF-8 decode to U+FFFD, and the parser refuses them: such an answer is the parser's to judge.
    if (text.indexOf('\uFFFD') >= 0) {
      return null;
    }
    try {
      return new ChatAnswerScan(text).read();
    } catch (RuntimeException unreadable) {
      // JsonCursor.Unreadable, or anything else the scan did not expect: the parser judges the text, as before
      return null;
    }
  }

  private ScannedAnswer read() {
    int mark = cursor.openObject(1);
    while (cursor.nextMember(mark)) {
      if (cursor.nameIs("model")) {
        cursor.peek();
        answer.modelStart = cursor.position();
        cursor.skipValue(2);
        answer.modelEnd = cursor.position();
      } else if (cursor.nameIs("usage")) {
        usage();
      } else if (cursor.nameIs("choices")) {
        choices();
      } else if (cursor.nameIs("error")) {
        throw Unreadable.INSTANCE;
      } else {
        cursor.skipValue(2);
      }
    }
    if (!cursor.atEnd() || answer.modelStart < 0 || !hasChoices || !hasUsage) {
      throw Unreadable.INSTANCE;
    }
    answer.usage = ChatUsage.of(prompt, cached, cacheHits, completion, reasoning);
    return answer;
  }

  /** An array of objects: what the parsed path reads of it matters only without usage, which is parsed. */
  private void choices() {
    if (cursor.peek() != '[') {
      throw Unreadable.INSTANCE;
    }
    hasChoices = true;
    cursor.openArray(2);
    boolean first = true;
    while (cursor.nextElement(first)) {
      first = false;
      if (cursor.peek() != '{') {
        throw Unreadable.INSTANCE;
      }
      cursor.skipValue(3);
    }
  }

  /** The counts, and where the {@code cost} goes: in place of one the provider wrote, else after the last member. */
  private void usage() {
    if (cursor.peek() != '{') {
      throw Unreadable.INSTANCE;
    }
    hasUsage = true;
    int mark = cursor.openObject(2);
    answer.usageEnd = cursor.position();
    while (cursor.nextMember(mark)) {
      answer.usageEmpty = false;
      if (cursor.nameIs("prompt_tokens")) {
        prompt = count();
      } else if (cursor.nameIs("completion_tokens")) {
        completion = count();
      } else if (cursor.nameIs("prompt_cache_hit_tokens")) {
        cacheHits = count();
      } else if (cursor.nameIs("prompt_tokens_details")) {
        cached = detail("cached_tokens");
      } else if (cursor.nameIs("completion_tokens_details")) {
        reasoning = detail("reasoning_tokens");
      } else if (cursor.nameIs("cost")) {
        cursor.peek();
        answer.costStart = cursor.position();
        cursor.skipValue(3);
        answer.costEnd = cursor.position();
      } else {
        cursor.skipValue(3);
      }
      answer.usageEnd = cursor.position();
    }
  }

  /** The count {@code name} of a details object that is absent (0), null or an object. */
  private long detail(String name) {
    if (cursor.isNull()) {
      return 0;
    }
    if (cursor.peek() != '{') {
      throw Unreadable.INSTANCE;
    }
    long value = 0;
    int mark = cursor.openObject(3);
    while (cursor.nextMember(mark)) {
      if (cursor.nameIs(name)) {
        value = count();
      } else {
        cursor.skipValue(4);
      }
    }
    return value;
  }

  /** Null (0, as the parsed path reads it) or a whole number that fits a long; any other value is the parser's. */
  private long count() {
    if (cursor.isNull()) {
      return 0;
    }
    cursor.peek();
    int start = cursor.position();
    cursor.skipValue(4);
    int end = cursor.position();
    if (end - start > LONGEST_COUNT) {
      throw Unreadable.INSTANCE;
    }
    for (int i = start; i < end; i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        throw Unreadable.INSTANCE;
      }
    }
    return Long.parseLong(text, start, end, 10);
  }
}
