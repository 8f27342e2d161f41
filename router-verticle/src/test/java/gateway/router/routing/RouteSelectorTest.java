package gateway.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.bus.Channel;
import gateway.common.bus.Route;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RouteSelectorTest {
  private final RouteSelector selector = new RouteSelector(new SplittableRandom(42));

  @Test
  @DisplayName("lower priority always comes first")
  void priorityOrder() {
    List<Route> ordered = selector.order(List.of(route("b", 1, 1), route("a", 0, 1), route("c", 2, 1)));
    assertThat(ordered).extracting(r -> r.channel().name()).containsExactly("a", "b", "c");
  }

  @Test
  @DisplayName("equal priorities share first place by weight, within ±10% over 1,000 requests")
  void weightsShareTraffic() {
    List<Route> routes = List.of(route("heavy", 0, 3), route("light", 0, 1), route("fallback", 1, 5));
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      List<Route> ordered = selector.order(routes);
      first.merge(ordered.get(0).channel().name(), 1, Integer::sum);
      assertThat(ordered.get(2).channel().name()).isEqualTo("fallback");
    }
    assertThat(first.get("heavy")).isBetween(675, 825);
    assertThat(first.get("light")).isBetween(225, 275);
  }

  @Test
  @DisplayName("weight 0 routes are only fallbacks within their priority")
  void zeroWeightIsFallback() {
    for (int i = 0; i < 100; i++) {
      assertThat(selector.order(List.of(route("spare", 0, 0), route("main", 0, 1))).get(0).channel().name())
          .isEqualTo("main");
    }
  }

  private static Route route(String channel, int priority, int weight) {
    return new Route(new Channel(channel, "openai", "http://x", null, priority, weight, false, "chat", null),
        "m", priority, weight);
  }
}
