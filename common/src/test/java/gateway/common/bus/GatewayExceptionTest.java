package gateway.common.bus;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GatewayExceptionTest {
  @Test
  @DisplayName("a failure crosses the bus as status and 'code@param: detail' and comes back whole")
  void roundTripsThroughAReplyFailure() {
    ReplyException onTheWire = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400,
        "invalid_value@channel: The channel 'x' does not serve the model 'y'.");
    GatewayException back = GatewayException.of(onTheWire);
    assertThat(back.error()).isEqualTo(GatewayError.INVALID_VALUE);
    assertThat(back.param()).isEqualTo("channel");
    assertThat(back.getMessage()).isEqualTo("The channel 'x' does not serve the model 'y'.");
  }

  @Test
  @DisplayName("a bus timeout or a missing service is a 503, an unknown failure a 500")
  void infrastructureFailures() {
    assertThat(GatewayException.of(new ReplyException(ReplyFailure.TIMEOUT, "t")).error())
        .isEqualTo(GatewayError.SERVICE_UNAVAILABLE);
    assertThat(GatewayException.of(new ReplyException(ReplyFailure.NO_HANDLERS, "n")).error())
        .isEqualTo(GatewayError.SERVICE_UNAVAILABLE);
    assertThat(GatewayException.of(new IllegalStateException()).error()).isEqualTo(GatewayError.INTERNAL);
  }

  @Test
  @DisplayName("every error has a distinct machine code, and its status is the HTTP status it stands for")
  void codesAreDistinct() {
    for (GatewayError e : GatewayError.values()) {
      assertThat(GatewayError.byCode(e.code)).isSameAs(e);
      assertThat(e.status).isBetween(400, 599);
    }
  }
}
