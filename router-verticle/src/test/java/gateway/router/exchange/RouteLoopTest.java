package gateway.router.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.GatewayError;
import gateway.common.bus.Channel;
import gateway.common.bus.Route;
import gateway.router.provider.UpstreamError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The route loop alone, driven by fake gates and attempts: no Vert.x, no network. */
class RouteLoopTest {
  private static final UpstreamError BOOM = UpstreamError.fromStatus(500, "server_error", null, "boom");
  private static final UpstreamError TOO_LONG = UpstreamError.fromStatus(400, "invalid_request_error",
      "context_length_exceeded", "too long");

  private final Set<String> full = new HashSet<>();
  private final Set<String> open = new HashSet<>();
  private final Map<String, AttemptOutcome> outcomes = new HashMap<>();
  private final List<String> attempted = new ArrayList<>();
  private final Map<String, String> breakerReports = new HashMap<>();
  private boolean clientGone;
  private long remainingMs = 60_000;

  @Test
  @DisplayName("a route failing before content hands over to the next; the first that answers ends the loop")
  void fallsBackUntilOneAnswers() {
    outcomes.put("a", new AttemptOutcome.Failed(BOOM));
    outcomes.put("b", answered());

    RouteLoop.Ending ending = run("a", "b", "c");

    assertThat(attempted).containsExactly("a", "b");
    assertThat(ending).isInstanceOfSatisfying(RouteLoop.Ending.Served.class,
        served -> assertThat(served.route().channel().name()).isEqualTo("b"));
    assertThat(breakerReports).containsEntry("a", "failed").containsEntry("b", "ok");
  }

  @Test
  @DisplayName("a channel at its limit or with its breaker open is skipped, not attempted")
  void skipsFullAndOpenChannels() {
    full.add("b");
    open.add("a");
    outcomes.put("c", answered());

    RouteLoop.Ending ending = run("a", "b", "c");

    assertThat(attempted).containsExactly("c");
    assertThat(ending).isInstanceOf(RouteLoop.Ending.Served.class);
  }

  @Test
  @DisplayName("the first route's limit was taken at admission: its room is not asked again")
  void firstRouteIsNotLimitedAgain() {
    full.add("a");
    outcomes.put("a", answered());

    assertThat(run("a")).isInstanceOf(RouteLoop.Ending.Served.class);
    assertThat(attempted).containsExactly("a");
  }

  @Test
  @DisplayName("the provider refusing the request itself ends the loop: no other route would do better, and the "
      + "channel is not blamed")
  void providerRejectionEndsTheLoop() {
    outcomes.put("a", new AttemptOutcome.Failed(TOO_LONG));
    outcomes.put("b", answered());

    RouteLoop.Ending ending = run("a", "b");

    assertThat(attempted).containsExactly("a");
    assertThat(ending).isInstanceOf(RouteLoop.Ending.Rejected.class);
    assertThat(breakerReports).containsEntry("a", "ok");
  }

  @Test
  @DisplayName("every route failing ends in Exhausted with the last reason; none tried ends in Untried")
  void exhaustedAndUntried() {
    outcomes.put("a", new AttemptOutcome.Failed(BOOM));
    outcomes.put("b", new AttemptOutcome.Failed(UpstreamError.transport("refused")));
    assertThat(run("a", "b")).isInstanceOfSatisfying(RouteLoop.Ending.Exhausted.class, exhausted -> {
      assertThat(exhausted.attempts()).isEqualTo(2);
      assertThat(exhausted.last().message()).isEqualTo("refused");
    });

    attempted.clear();
    open.add("x");
    assertThat(run("x")).isInstanceOf(RouteLoop.Ending.Untried.class);
    assertThat(attempted).isEmpty();
  }

  @Test
  @DisplayName("a route that cannot carry the call ends the loop with its refusal")
  void refusalEndsTheLoop() {
    outcomes.put("a", new AttemptOutcome.Refused(GatewayError.INVALID_VALUE.exception("untranslatable")));

    assertThat(run("a", "b")).isInstanceOfSatisfying(RouteLoop.Ending.Served.class,
        served -> assertThat(served.outcome()).isInstanceOf(AttemptOutcome.Refused.class));
    assertThat(attempted).containsExactly("a");
  }

  @Test
  @DisplayName("a client gone before any route answered abandons the loop; a request out of time stops trying")
  void clientGoneAndOutOfTime() {
    clientGone = true;
    assertThat(run("a")).isInstanceOf(RouteLoop.Ending.Abandoned.class);
    assertThat(attempted).isEmpty();

    clientGone = false;
    remainingMs = 0;
    assertThat(run("a")).isInstanceOfSatisfying(RouteLoop.Ending.Exhausted.class,
        exhausted -> assertThat(exhausted.last().countsAgainstChannel()).isFalse());
    assertThat(attempted).isEmpty();
  }

  @Test
  @DisplayName("a stream cut after content is the route's answer (no fallback) and counts against its channel")
  void cutStreamIsServedAndBlamed() {
    outcomes.put("a", new AttemptOutcome.Streamed(new StreamEnd(StreamEnd.Kind.CUT_AFTER_CONTENT, null, null, "x",
        UpstreamError.transport("cut"))));

    assertThat(run("a", "b")).isInstanceOf(RouteLoop.Ending.Served.class);
    assertThat(breakerReports).containsEntry("a", "failed");
    assertThat(attempted).containsExactly("a");
  }

  private RouteLoop.Ending run(String... channels) {
    List<Route> routes = new ArrayList<>();
    for (String name : channels) {
      routes.add(new Route(new Channel(name, "openai", "http://x", null, 0, 1, false, "chat", new JsonObject()), name, 0, 1));
    }
    RouteLoop.Gates gates = new RouteLoop.Gates() {
      @Override
      public Future<Boolean> room(Route route, boolean first) {
        return Future.succeededFuture(first || !full.contains(route.channel().name()));
      }

      @Override
      public Promise<Void> breaker(Route route) {
        if (open.contains(route.channel().name())) {
          return null;
        }
        Promise<Void> leave = Promise.promise();
        leave.future().onComplete(done -> breakerReports.put(route.channel().name(), done.succeeded() ? "ok" : "failed"));
        return leave;
      }
    };
    RouteLoop.Attempts attempts = route -> {
      attempted.add(route.channel().name());
      return Future.succeededFuture(outcomes.getOrDefault(route.channel().name(),
          new AttemptOutcome.Failed(BOOM)));
    };
    Future<RouteLoop.Ending> ending = new RouteLoop(routes, gates, attempts, () -> clientGone, () -> remainingMs).run();
    assertThat(ending.isComplete()).isTrue();
    return ending.result();
  }

  private static AttemptOutcome answered() {
    return new AttemptOutcome.Answered(null, new JsonObject(), null);
  }
}
