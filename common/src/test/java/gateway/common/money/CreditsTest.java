package gateway.common.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CreditsTest {
  @Test
  @DisplayName("credits convert to micro-credits exactly, from numbers and decimal strings alike")
  void exactConversion() {
    assertThat(Credits.parseMicros(10)).isEqualTo(10_000_000);
    assertThat(Credits.parseMicros(0.1)).isEqualTo(100_000);
    assertThat(Credits.parseMicros(12.345678)).isEqualTo(12_345_678);
    assertThat(Credits.parseMicros("0.000001")).isEqualTo(1);
    assertThat(Credits.fromMicros(12_345_678)).isEqualByComparingTo(new BigDecimal("12.345678"));
    assertThat(Credits.fromMicros(10_000_000).toPlainString()).isEqualTo("10");
  }

  @Test
  @DisplayName("more than six decimals, text that is not a number, or infinity are refused, never rounded")
  void refusesWhatIsNotExact() {
    assertThatThrownBy(() -> Credits.parseMicros("0.0000001")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Credits.parseMicros("ten")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Credits.parseMicros(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Credits.parseMicros(true)).isInstanceOf(IllegalArgumentException.class);
  }
}
