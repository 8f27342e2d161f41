package gateway.testsupport.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/** Which call a load's client sends next. */
@FunctionalInterface
public interface Mix {

  /** The {@code n}-th call (from 0) of client {@code client}. */
  Call next(int client, long n);

  /** Every client sends the same call. */
  static Mix only(Call call) {
    return (client, n) -> call;
  }

  /** Each client goes through the calls in turn, starting at its own offset, so every call is in flight at once. */
  static Mix roundRobin(List<Call> calls) {
    List<Call> copy = List.copyOf(calls);
    return (client, n) -> copy.get((int) Math.floorMod(client + n, (long) copy.size()));
  }

  /** Calls drawn at random in proportion to their weights, from a seeded sequence per client (reproducible). */
  static Mix weighted(long seed, Map<Call, Integer> weights) {
    List<Call> bag = new ArrayList<>();
    weights.forEach((call, weight) -> {
      for (int i = 0; i < weight; i++) {
        bag.add(call);
      }
    });
    List<Call> drawn = List.copyOf(bag);
    Map<Integer, SplittableRandom> randoms = new ConcurrentHashMap<>();
    return (client, n) -> drawn.get(randoms.computeIfAbsent(client, c -> new SplittableRandom(seed + c))
        .nextInt(drawn.size()));
  }

  /** Clients below {@code split} send {@code first}'s calls, the others {@code second}'s. */
  static Mix split(int split, Mix first, Mix second) {
    return (client, n) -> client < split ? first.next(client, n) : second.next(client - split, n);
  }
}
