package gateway.router.routing;

import gateway.common.bus.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The order in which to try a model's routes: lower priority first; within one priority,
 * a random order drawn by weight (a route of weight 3 goes first three times as often as
 * one of weight 1). Weight 0 routes come last in their priority: fallbacks only.
 */
public final class RouteSelector {
  private final RandomGenerator random;

  public RouteSelector(RandomGenerator random) {
    this.random = random;
  }

  public List<Route> order(List<Route> routes) {
    Map<Integer, List<Route>> byPriority = new TreeMap<>();
    routes.forEach(r -> byPriority.computeIfAbsent(r.priority(), p -> new ArrayList<>()).add(r));
    List<Route> ordered = new ArrayList<>(routes.size());
    byPriority.values().forEach(group -> ordered.addAll(weightedShuffle(group)));
    return ordered;
  }

  private List<Route> weightedShuffle(List<Route> group) {
    if (group.size() == 1) {
      return group;
    }
    List<Route> remaining = new ArrayList<>(group);
    remaining.sort(Comparator.comparingInt(Route::weight).reversed());
    List<Route> shuffled = new ArrayList<>(group.size());
    while (!remaining.isEmpty()) {
      long total = 0;
      for (Route r : remaining) {
        total += Math.max(0, r.weight());
      }
      if (total == 0) {
        shuffled.addAll(remaining);
        break;
      }
      long pick = random.nextLong(total);
      for (int i = 0; i < remaining.size(); i++) {
        pick -= Math.max(0, remaining.get(i).weight());
        if (pick < 0) {
          shuffled.add(remaining.remove(i));
          break;
        }
      }
    }
    return shuffled;
  }
}
