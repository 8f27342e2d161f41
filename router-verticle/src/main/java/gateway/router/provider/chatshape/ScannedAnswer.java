package gateway.router.provider.chatshape;

import gateway.common.money.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * An OpenAI {@code chat.completion} read without being parsed ({@link ChatAnswerScan}): its text as the
 * provider sent it, where its {@code model} value is, where its usage's {@code cost} goes, and its usage.
 */
public final class ScannedAnswer {
  // Filled in by the scan that reads it, and never changed after.
  private final String text;
  int modelStart = -1;
  int modelEnd = -1;
  /** The value of a {@code cost} the provider wrote in its usage, or -1. */
  int costStart = -1;
  int costEnd = -1;
  /** Just past the usage's last member (past its brace when it has none): where a new {@code cost} goes. */
  int usageEnd = -1;
  boolean usageEmpty = true;
  Usage usage;

  ScannedAnswer(String text) {
    this.text = text;
  }

  /** As {@link ChatUsage#fromChat} reads the answer's usage. */
  public Usage usage() {
    return usage;
  }

  /**
   * The answer for the client: as it came, but for its {@code model} value, which becomes {@code modelJson},
   * and its usage's {@code cost}, which is {@code costJson} (in place of the provider's, else its last member).
   */
  public Buffer forClient(String modelJson, String costJson) {
    int costAt = costStart >= 0 ? costStart : usageEnd;
    int costTo = costStart >= 0 ? costEnd : usageEnd;
    String cost = costStart >= 0 ? costJson : (usageEmpty ? "\"cost\":" : ",\"cost\":") + costJson;
    StringBuilder out = new StringBuilder(text.length() + modelJson.length() + cost.length());
    int rest;
    if (modelStart < costAt) {
      out.append(text, 0, modelStart).append(modelJson).append(text, modelEnd, costAt).append(cost);
      rest = costTo;
    } else {
      out.append(text, 0, costAt).append(cost).append(text, costTo, modelStart).append(modelJson);
      rest = modelEnd;
    }
    return Buffer.buffer(out.append(text, rest, text.length()).toString());
  }
}
