package gateway.router.exchange;

import gateway.common.bus.Route;
import gateway.router.observe.RouterMetrics;
import gateway.router.provider.UpstreamError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The order in which a call's routes are tried, and when to stop: a route whose channel has no room
 * in its limits or whose breaker is open is skipped; a route failing before anything reached the
 * client hands over to the next; a provider refusing the request itself, a route that cannot carry
 * it, a client gone, or an answer that reached the client ends the loop. Each attempt's outcome is
 * reported to its channel's breaker, counting only the provider's own failures.
 */
final class RouteLoop {

  /** What may stop a route from being tried now. */
  interface Gates {
    /** Room in the route's channel limits (the first route's was taken at admission). */
    Future<Boolean> room(Route route, boolean first);

    /** The breaker's leave for one attempt, completed ok or failed once it is over; null while the breaker is open. */
    Promise<Void> breaker(Route route);
  }

  /** Runs one attempt on a route. */
  interface Attempts {
    Future<AttemptOutcome> attempt(Route route);
  }

  /** How the loop ended. */
  sealed interface Ending {
    /** A route answered, streamed, could not carry the call, or the client left during its attempt. */
    record Served(Route route, AttemptOutcome outcome) implements Ending {
    }

    /** The provider refused the request itself (a 400, 413, 422...): no other route would do better. */
    record Rejected(Route route, UpstreamError error) implements Ending {
    }

    /** Every route that could be tried failed (or the request ran out of time), the last for this reason. */
    record Exhausted(int attempts, UpstreamError last) implements Ending {
    }

    /** No route could be tried: every channel at its limits or with its breaker open. */
    record Untried() implements Ending {
    }

    /** The client left before any route answered. */
    record Abandoned() implements Ending {
    }
  }

  private final List<Route> routes;
  private final Gates gates;
  private final Attempts attempts;
  private final BooleanSupplier clientGone;
  private final LongSupplier remainingMs;
  private final Promise<Ending> ending = Promise.promise();
  private int next;
  private int tried;
  private UpstreamError lastError;

  RouteLoop(List<Route> routes, Gates gates, Attempts attempts, BooleanSupplier clientGone, LongSupplier remainingMs) {
    this.routes = List.copyOf(routes);
    this.gates = gates;
    this.attempts = attempts;
    this.clientGone = clientGone;
    this.remainingMs = remainingMs;
  }

  Future<Ending> run() {
    tryNext();
    return ending.future();
  }

  private void tryNext() {
    if (clientGone.getAsBoolean()) {
      ending.tryComplete(new Ending.Abandoned());
      return;
    }
    if (next >= routes.size() || remainingMs.getAsLong() <= 0) {
      if (next < routes.size()) {
        lastError = UpstreamError.requestTimeout("the request ran out of its time before route " + (next + 1));
      }
      ending.tryComplete(tried == 0 && lastError == null ? new Ending.Untried() : new Ending.Exhausted(tried, lastError));
      return;
    }
    boolean first = next == 0;
    Route route = routes.get(next++);
    gates.room(route, first).onComplete(room -> {
      Promise<Void> breaker = room.succeeded() && room.result() ? gates.breaker(route) : null;
      if (breaker == null) {
        tryNext();
        return;
      }
      tried++;
      attempts.attempt(route).onComplete(done -> {
        AttemptOutcome outcome = done.succeeded() ? done.result()
            : new AttemptOutcome.Failed(UpstreamError.transport(String.valueOf(done.cause())));
        decide(route, outcome, breaker);
      });
    });
  }

  private void decide(Route route, AttemptOutcome outcome, Promise<Void> breaker) {
    AttemptOutcome.Failed failed = outcome instanceof AttemptOutcome.Failed f ? f : null;
    boolean channelFailed = failed != null ? failed.error().countsAgainstChannel()
        : outcome instanceof AttemptOutcome.Streamed streamed && streamed.end().kind() == StreamEnd.Kind.CUT_AFTER_CONTENT
            && streamed.end().error().countsAgainstChannel();
    boolean rejected = failed != null && failed.error().isClientError();
    RouterMetrics.upstreamAttempt(route.channel().name(), channelFailed ? "failed" : rejected ? "rejected" : "ok");
    if (channelFailed) {
      breaker.tryFail("channel failure");
    } else {
      breaker.tryComplete();
    }
    if (failed == null) {
      ending.tryComplete(new Ending.Served(route, outcome));
      return;
    }
    lastError = failed.error();
    if (rejected) {
      ending.tryComplete(new Ending.Rejected(route, failed.error()));
      return;
    }
    tryNext();
  }
}
