package gateway.testsupport.load;

/**
 * What one request of a load got.
 *
 * @param code   for a clean error, the error's {@code code} (OpenAI) or {@code type} (Anthropic); else null
 * @param detail for a broken answer, what was wrong with it; else null
 * @param endedAtNanos {@link System#nanoTime()} when the answer was over, to tell answers of one phase of a test
 *                     from another's
 */
public record Answer(String call, int status, Verdict verdict, String code, String detail, long latencyNanos,
                     long endedAtNanos) {

  @Override
  public String toString() {
    return call + " -> " + status + " " + verdict + (code == null ? "" : " " + code)
        + (detail == null ? "" : " (" + detail + ")");
  }
}
