package gateway.testsupport.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Soak measures: levelling off, and sampling a running JVM from outside")
class LevellingAndSamplerTest {

  @Test
  @DisplayName("a quantity that stops growing after warm-up levels off; one that keeps growing does not")
  void levelling() {
    Levelling flat = Levelling.of("heap", List.of(10L, 50L, 80L, 82L, 79L, 81L, 83L, 80L), 1.1, 0);
    assertThat(flat.levelled()).isTrue();
    assertThat(flat.secondQuarterMax()).isEqualTo(82);
    assertThat(flat.lastQuarterMax()).isEqualTo(83);
    Levelling leak = Levelling.of("fds", List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L), 1.1, 5);
    assertThat(leak.levelled()).isFalse();
    assertThat(leak.toString()).contains("GROWING");
    assertThatThrownBy(() -> Levelling.of("x", List.of(1L, 2L), 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the sampler reads this very JVM: heap after a full GC, descriptors, sockets, threads, memory")
  void samplesThisJvm() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      ProcessSampler.Sample sample = new ProcessSampler(ProcessHandle.current().pid()).sample(true);
      assertThat(sample.heapAfterGcBytes()).isPositive();
      assertThat(sample.fds()).isPositive();
      assertThat(sample.sockets()).isPositive();
      assertThat(sample.threads()).isPositive();
      assertThat(sample.rssBytes()).isPositive();
      assertThat(TcpConnections.open(socket.getLocalPort())).as("listening is not a connection").isZero();
    }
  }
}
