package gateway.router.provider.chatshape;

import io.vertx.core.buffer.Buffer;

/**
 * An OpenAI {@code chat.completion.chunk} read without being parsed ({@link ChatChunkScan}): its
 * data as the provider sent it, where its {@code model} value and its {@code "usage": null} member
 * are, and what the relay and the chat writer read of it. It carries no usage and no error: chunks
 * that do are parsed.
 */
public final class ScannedChunk {
  // Filled in by the scan that reads it, and never changed after.
  private final String data;
  int modelStart = -1;
  int modelEnd = -1;
  int usageStart = -1;
  int usageEnd = -1;
  boolean hasId;
  String id;
  boolean hasCreated;
  Object created;
  boolean hasFingerprint;
  String fingerprint;
  boolean reachesClient;
  boolean carriesContent;
  String output = "";

  ScannedChunk(String data) {
    this.data = data;
  }

  /** As {@link ChatChunkAnatomy#reachesClient}. */
  public boolean reachesClient() {
    return reachesClient;
  }

  /** As {@link ChatChunkAnatomy#carriesContent}. */
  public boolean carriesContent() {
    return carriesContent;
  }

  /** The generated text, as {@link ChatChunkAnatomy#appendOutput} appends it. */
  public String output() {
    return output;
  }

  /** Its {@code id}, or {@code fallback} when it has none (as {@code getString("id", fallback)}). */
  public String id(String fallback) {
    return hasId ? id : fallback;
  }

  /** Its {@code created} (null or a whole number), or {@code fallback} when it has none. */
  public Object created(Object fallback) {
    return hasCreated ? created : fallback;
  }

  /** Its {@code system_fingerprint} (null or a string), or {@code fallback} when it has none. */
  public Object fingerprint(Object fallback) {
    return hasFingerprint ? fingerprint : fallback;
  }

  /**
   * The SSE event for the client: {@code data: } and the data as it came, but for its {@code model}
   * value, which becomes {@code modelJson}, and its {@code "usage": null} member, dropped unless kept.
   */
  public Buffer event(String modelJson, boolean keepNullUsage) {
    boolean model = modelStart >= 0;
    boolean usage = usageStart >= 0 && !keepNullUsage;
    StringBuilder text = new StringBuilder(data.length() + modelJson.length() + 8).append("data: ");
    int at = 0;
    if (usage && (!model || usageStart < modelStart)) {
      text.append(data, at, usageStart);
      at = usageEnd;
      usage = false;
    }
    if (model) {
      text.append(data, at, modelStart).append(modelJson);
      at = modelEnd;
    }
    if (usage) {
      text.append(data, at, usageStart);
      at = usageEnd;
    }
    return Buffer.buffer(text.append(data, at, data.length()).append("\n\n").toString());
  }
}
