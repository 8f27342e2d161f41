package gateway.common.money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Credits as the API shows them and micro-credits as everything stores them.
 * 1 credit = 1,000,000 µcr; 1 USD = 100 credits. No floating point touches an amount.
 */
public final class Credits {
  public static final long MICROS_PER_CREDIT = 1_000_000L;
  private static final int SCALE = 6;

  private Credits() {
  }

  /** Exact conversion; more than six decimals is an error, not a rounding. */
  public static long toMicros(BigDecimal credits) {
    BigDecimal micros = credits.movePointRight(SCALE);
    try {
      return micros.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("credits take at most 6 decimals and must fit 64 bits: " + credits);
    }
  }

  /**
   * Reads an amount of credits from a JSON value: a number or a decimal string. A JSON
   * number arrives as a double; its shortest decimal form is what the client wrote.
   */
  public static long parseMicros(Object json) {
    if (json instanceof String s) {
      try {
        return toMicros(new BigDecimal(s.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a decimal number: " + s);
      }
    }
    if (json instanceof Double || json instanceof Float) {
      double d = ((Number) json).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("not a finite number");
      }
      return toMicros(BigDecimal.valueOf(d));
    }
    if (json instanceof BigDecimal bd) {
      return toMicros(bd);
    }
    if (json instanceof BigInteger big) {
      return toMicros(new BigDecimal(big)); // beyond a long: refused, not wrapped around
    }
    if (json instanceof Number n) {
      return Math.multiplyExact(n.longValue(), MICROS_PER_CREDIT);
    }
    throw new IllegalArgumentException("expected a number of credits");
  }

  /** Micro-credits as a credits decimal, trailing zeros dropped (12.5, not 12.500000). */
  public static BigDecimal fromMicros(long micros) {
    BigDecimal credits = BigDecimal.valueOf(micros, SCALE).stripTrailingZeros();
    return credits.scale() < 0 ? credits.setScale(0) : credits;
  }
}
