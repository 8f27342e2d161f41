package gateway.testsupport.load;

import java.util.List;

/**
 * Whether a quantity sampled over a long run levelled off: the largest value of the run's last quarter is at most
 * the largest of its second quarter times {@code ratio}, plus {@code slack} (the first quarter is warm-up: caches
 * and pools fill, the JIT compiles). A leak keeps growing into the last quarter; a levelled quantity does not.
 */
public record Levelling(String what, long secondQuarterMax, long lastQuarterMax, long allowed, boolean levelled) {

  public static Levelling of(String what, List<Long> samples, double ratio, long slack) {
    int n = samples.size();
    if (n < 4) {
      throw new IllegalArgumentException(what + ": at least 4 samples are needed, got " + n);
    }
    long second = max(samples.subList(n / 4, Math.max(n / 4 + 1, n / 2)));
    long last = max(samples.subList(3 * n / 4, n));
    long allowed = (long) Math.ceil(second * ratio) + slack;
    return new Levelling(what, second, last, allowed, last <= allowed);
  }

  private static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  @Override
  public String toString() {
    return String.format("%-22s 2nd-quarter max %,15d   last-quarter max %,15d   allowed %,15d   %s", what,
        secondQuarterMax, lastQuarterMax, allowed, levelled ? "LEVELLED" : "GROWING");
  }
}
