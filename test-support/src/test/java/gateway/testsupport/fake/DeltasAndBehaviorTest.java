package gateway.testsupport.fake;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Fake upstream: delta splitting and the immutable Behavior builder")
class DeltasAndBehaviorTest {

  @Test
  @DisplayName("word deltas carry the whitespace before each word and concatenate back to the text")
  void wordDeltas() {
    assertThat(Deltas.words("Hello from x")).containsExactly("Hello", " from", " x");
    assertThat(Deltas.words("  lead\n\ntwo  ")).containsExactly("  lead", "\n\ntwo  ");
    assertThat(Deltas.words("")).isEmpty();
    assertThat(Deltas.words("   ")).containsExactly("   ");
    assertThat(Deltas.wordCount("  a b\tc\n")).isEqualTo(3);
  }

  @Test
  @DisplayName("even splitting never breaks a surrogate pair and caps the count at the text length")
  void evenDeltas() {
    assertThat(Deltas.even("abcdefg", 3)).containsExactly("ab", "cd", "efg");
    assertThat(Deltas.even("ab", 5)).containsExactly("a", "b");
    assertThat(String.join("", Deltas.even("a😀b😀c", 4))).isEqualTo("a😀b😀c");
    assertThat(Deltas.even("😀😀", 2)).containsExactly("😀", "😀");
  }

  @Test
  @DisplayName("tool arguments always come in at least two fragments")
  void argumentFragments() {
    assertThat(Deltas.argumentFragments("{}")).containsExactly("{", "}");
    assertThat(Deltas.argumentFragments("{\"a\":1}")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(String.join("", Deltas.argumentFragments("{\"k\":\"" + "v".repeat(500) + "\"}")))
        .hasSize(508);
  }

  @Test
  @DisplayName("every Behavior method returns a new value and leaves the original unchanged")
  void immutable() {
    Behavior base = Behavior.reply("hi");
    Behavior changed = base.usage(10, 2).chunkDelay(Duration.ofMillis(5)).header("x", "y")
        .withToolCall("f", "{}");
    assertThat(changed).isNotSameAs(base);
    assertThat(base.promptTokens).isNull();
    assertThat(base.toolCalls).isEmpty();
    assertThat(base.headers).isEmpty();
    assertThat(base.chunkDelay).isZero();
    assertThat(changed.promptTokens).isEqualTo(10);
    assertThat(changed.toolCalls).hasSize(1);
    assertThat(changed.text).isEqualTo("hi");
  }

  @Test
  @DisplayName("invalid arguments are refused when the behavior is built, not when a request arrives")
  void validation() {
    assertThatThrownBy(() -> Behavior.toolCall("f", "[1,2]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Behavior.toolCall("f", "not json")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Behavior.error(200, "ok")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Behavior.reply("x").chunks(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Behavior.reply("x").usage(-1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
