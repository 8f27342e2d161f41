package gateway.router.exchange;

import gateway.common.GatewayError;
import gateway.router.edge.ErrorResponses;
import gateway.router.provider.UpstreamError;
import io.vertx.ext.web.RoutingContext;

/**
 * How a request ends when its route loop served nothing: the client's error in its shape, and the hold freed.
 * One place for every exchange (chat-shaped and images), so the messages and the freeing cannot drift apart.
 */
final class UnservedEnding {
  private UnservedEnding() {
  }

  /** {@code ending} is anything but {@link RouteLoop.Ending.Served}. */
  static void finish(RoutingContext ctx, RouteLoop.Ending ending, String model, Settlement settlement) {
    if (ending instanceof RouteLoop.Ending.Rejected rejected) {
      UpstreamError error = rejected.error();
      ErrorResponses.send(ctx, error.status(), clientErrorType(error), error.code(), error.clientMessage(), null);
      settlement.free(error.message());
    } else if (ending instanceof RouteLoop.Ending.Exhausted exhausted) {
      String reason = exhausted.last() == null ? "unknown" : exhausted.last().clientMessage();
      ErrorResponses.send(ctx, GatewayError.UPSTREAM_ERROR.exception(
          "All " + exhausted.attempts() + " upstream attempt(s) failed; the last: " + reason));
      settlement.free(exhausted.last() == null ? "unknown" : exhausted.last().message());
    } else if (ending instanceof RouteLoop.Ending.Untried) {
      ErrorResponses.send(ctx, GatewayError.NO_AVAILABLE_CHANNEL.exception(
          "No channel can serve the model '" + model + "' right now."));
      settlement.free("no route could be tried");
    } else {
      settlement.free("the client closed the connection before any route answered");
    }
  }

  /** A provider's refusal of the request itself is the client's invalid request; anything else keeps its type. */
  static String clientErrorType(UpstreamError error) {
    return switch (error.status()) {
      case 400, 413, 422 -> "invalid_request_error";
      default -> error.type();
    };
  }
}
