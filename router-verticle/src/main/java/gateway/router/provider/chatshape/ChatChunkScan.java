package gateway.router.provider.chatshape;

/**
 * Reads an OpenAI {@code chat.completion.chunk} for relaying it as it came: what {@link ChatChunkAnatomy}
 * and the chat writer read of a parsed chunk, read here from its text with a {@link JsonCursor}. Only
 * a chunk the parsed path would read without surprise is taken: one JSON object with no {@code error},
 * a {@code usage} that is absent or null, {@code choices} absent or an array, every {@code delta} null
 * or an object, {@code id} and {@code system_fingerprint} null or strings, {@code created} null or a
 * whole number. Any other chunk, or any text the cursor does not vouch for, yields null: it is parsed.
 */
public final class ChatChunkScan {
  /** Larger chunks are parsed: far above a streamed chunk, far below the parser's own limits. */
  static final int MAX_CHARS = 1024 * 1024;
  private static final int LONGEST_WHOLE_NUMBER = 18;

  private final JsonCursor cursor;
  private final ScannedChunk chunk;
  private StringBuilder output;

  private ChatChunkScan(String data) {
    this.cursor = new JsonCursor(data);
    this.chunk = new ScannedChunk(data);
  }

  /** The chunk read from an event's data, or null when it must be parsed. */
  public static ScannedChunk scan(String data) {
    if (data == null || data.length() < 2 || data.length() > MAX_CHARS || data.charAt(0) != '{'
        || data.charAt(data.length() - 1) != '}') {
      return null;
    }
    try {
      return new ChatChunkScan(data).read(data);
    } catch (RuntimeException unreadable) {
      // JsonCursor.Unreadable, or anything else the scan did not expect: the parser judges the text, as before
      return null;
    }
  }

  private ScannedChunk read(String data) {
    boolean usageOpen = false;
    int mark = cursor.openObject(1);
    while (cursor.nextMember(mark)) {
      if (usageOpen) {
        // "usage": null came first: dropping it takes the comma and space before this member too.
        chunk.usageEnd = cursor.nameStart();
        usageOpen = false;
      }
      if (cursor.nameIs("model")) {
        cursor.peek();
        chunk.modelStart = cursor.position();
        cursor.skipValue(2);
        chunk.modelEnd = cursor.position();
      } else if (cursor.nameIs("usage")) {
        usageOpen = nullUsage();
      } else if (cursor.nameIs("error")) {
        throw JsonCursor.Unreadable.INSTANCE;
      } else if (cursor.nameIs("id")) {
        chunk.hasId = true;
        chunk.id = stringOrNull();
      } else if (cursor.nameIs("system_fingerprint")) {
        chunk.hasFingerprint = true;
        chunk.fingerprint = stringOrNull();
      } else if (cursor.nameIs("created")) {
        chunk.hasCreated = true;
        chunk.created = wholeNumberOrNull(data);
      } else if (cursor.nameIs("choices")) {
        choices();
      } else {
        cursor.skipValue(2);
      }
    }
    if (!cursor.atEnd()) {
      throw JsonCursor.Unreadable.INSTANCE;
    }
    chunk.output = output == null ? "" : output.toString();
    return chunk;
  }

  /**
   * Reads a {@code usage} that must be null, and marks the member for dropping with one comma: the one
   * before it, or for the first member the one after it (true: the member is still open, up to the next name).
   */
  private boolean nullUsage() {
    int nameStart = cursor.nameStart();
    int separator = cursor.separator();
    if (!cursor.isNull()) {
      throw JsonCursor.Unreadable.INSTANCE;
    }
    chunk.usageStart = separator >= 0 ? separator : nameStart;
    chunk.usageEnd = cursor.position();
    return separator < 0;
  }

  private String stringOrNull() {
    return cursor.isNull() ? null : cursor.string();
  }

  /** Null, or a whole number as the parser gives it: an Integer when it fits, else a Long. */
  private Object wholeNumberOrNull(String data) {
    if (cursor.isNull()) {
      return null;
    }
    cursor.peek();
    int start = cursor.position();
    cursor.skipValue(2);
    int end = cursor.position();
    int digitsFrom = data.charAt(start) == '-' ? start + 1 : start;
    if (end - digitsFrom < 1 || end - digitsFrom > LONGEST_WHOLE_NUMBER) {
      throw JsonCursor.Unreadable.INSTANCE;
    }
    for (int i = digitsFrom; i < end; i++) {
      if (data.charAt(i) < '0' || data.charAt(i) > '9') {
        throw JsonCursor.Unreadable.INSTANCE;
      }
    }
    long value = Long.parseLong(data, start, end, 10);
    if (value == (int) value) {
      return Integer.valueOf((int) value); // not in a ternary: that would box it as a Long
    }
    return Long.valueOf(value);
  }

  /** {@code choices}: an array (null or anything else is the parsed path's to handle). */
  private void choices() {
    if (cursor.peek() != '[') {
      throw JsonCursor.Unreadable.INSTANCE;
    }
    cursor.openArray(2);
    boolean first = true;
    while (cursor.nextElement(first)) {
      first = false;
      chunk.reachesClient = true;
      if (cursor.peek() == '{') {
        choice();
      } else {
        cursor.skipValue(3);
      }
    }
  }

  private void choice() {
    int mark = cursor.openObject(3);
    while (cursor.nextMember(mark)) {
      if (cursor.nameIs("finish_reason")) {
        if (!cursor.isNull()) {
          chunk.carriesContent = true;
          cursor.skipValue(4);
        }
      } else if (cursor.nameIs("delta")) {
        if (!cursor.isNull()) {
          if (cursor.peek() != '{') {
            throw JsonCursor.Unreadable.INSTANCE;
          }
          delta();
        }
      } else {
        cursor.skipValue(4);
      }
    }
  }

  /** A delta's texts, appended in {@link ChatChunkAnatomy#appendOutput}'s order whatever order they came in. */
  private void delta() {
    String content = null;
    String reasoning = null;
    String refusal = null;
    StringBuilder tools = null;
    int mark = cursor.openObject(4);
    while (cursor.nextMember(mark)) {
      if (cursor.nameIs("content")) {
        content = text();
      } else if (cursor.nameIs("reasoning_content")) {
        reasoning = text();
      } else if (cursor.nameIs("refusal")) {
        refusal = text();
      } else if (cursor.nameIs("tool_calls") || cursor.nameIs("function_call")) {
        boolean toolCalls = cursor.nameIs("tool_calls");
        if (!cursor.isNull()) {
          chunk.carriesContent = true;
          if (toolCalls && cursor.peek() == '[') {
            tools = toolCalls();
          } else {
            cursor.skipValue(5);
          }
        }
      } else {
        cursor.skipValue(5);
      }
    }
    append(content);
    append(reasoning);
    append(refusal);
    if (tools != null) {
      append(tools.toString());
    }
  }

  /** A string that counts as content when not empty; any other value is skipped. */
  private String text() {
    if (cursor.peek() != '"') {
      cursor.skipValue(5);
      return null;
    }
    String value = cursor.string();
    if (!value.isEmpty()) {
      chunk.carriesContent = true;
    }
    return value;
  }

  private StringBuilder toolCalls() {
    StringBuilder text = new StringBuilder();
    cursor.openArray(5);
    boolean first = true;
    while (cursor.nextElement(first)) {
      first = false;
      if (cursor.peek() != '{') {
        cursor.skipValue(6);
        continue;
      }
      int mark = cursor.openObject(6);
      while (cursor.nextMember(mark)) {
        if (cursor.nameIs("function") && cursor.peek() == '{') {
          function(text);
        } else {
          cursor.skipValue(7);
        }
      }
    }
    return text;
  }

  private void function(StringBuilder text) {
    String name = null;
    String arguments = null;
    int mark = cursor.openObject(7);
    while (cursor.nextMember(mark)) {
      boolean isName = cursor.nameIs("name");
      if ((isName || cursor.nameIs("arguments")) && cursor.peek() == '"') {
        if (isName) {
          name = cursor.string();
        } else {
          arguments = cursor.string();
        }
      } else {
        cursor.skipValue(8);
      }
    }
    if (name != null) {
      text.append(name);
    }
    if (arguments != null) {
      text.append(arguments);
    }
  }

  private void append(String text) {
    if (text != null && !text.isEmpty()) {
      if (output == null) {
        output = new StringBuilder(text.length());
      }
      output.append(text);
    }
  }
}
