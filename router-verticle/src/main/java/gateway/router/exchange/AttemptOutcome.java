package gateway.router.exchange;

import gateway.common.GatewayException;
import gateway.common.money.Usage;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.chatshape.ScannedAnswer;
import io.vertx.core.json.JsonObject;

/** How one attempt on one route ended: each kind says what the route loop and the settlement do next. */
sealed interface AttemptOutcome {

  /**
   * A whole answer arrived (read whole, or folded from a stream); nothing is written yet.
   *
   * @param body the answer parsed, null when it was read unparsed ({@code scanned})
   * @param usage what the provider reported, null when nothing
   * @param scanned the answer read unparsed ({@link Translation#scanned}), or null
   */
  record Answered(Translation translation, JsonObject body, Usage usage, ScannedAnswer scanned)
      implements AttemptOutcome {
    Answered(Translation translation, JsonObject body, Usage usage) {
      this(translation, body, usage, null);
    }
  }

  /** A stream was relayed to the client and ended as {@code end} says; only a failure before content falls back. */
  record Streamed(StreamEnd end) implements AttemptOutcome {
  }

  /** The route failed and nothing reached the client: another route may serve, unless the provider refused the request itself. */
  record Failed(UpstreamError error) implements AttemptOutcome {
  }

  /** The call cannot be sent to this route (it cannot be translated for it): the client is told, nothing is sent. */
  record Refused(GatewayException error) implements AttemptOutcome {
  }

  /** An image call's answer: the images drawn (their bytes in hand, none stored yet), or none and why. */
  record Drawn(java.util.List<gateway.router.media.DrawnImage> images, Usage usage, String refusal)
      implements AttemptOutcome {
  }

  /** The client left before a whole answer came, and none came within the grace: the provider had the prompt. */
  record Left() implements AttemptOutcome {
  }
}
