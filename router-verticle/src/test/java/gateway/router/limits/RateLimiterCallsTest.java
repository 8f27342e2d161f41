package gateway.router.limits;

import static gateway.testsupport.Await.onEventLoop;
import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.bus.Channel;
import gateway.common.bus.Principal;
import gateway.common.bus.RateLimits;
import gateway.common.bus.Route;
import gateway.router.RouterConfig;
import gateway.testsupport.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How many round trips the limiter makes, counted by a relay in front of the real Redis: one script call admits a
 * request against every scope, nothing is sent when no limit applies, and finishes that come together share a call
 * without holding a freed slot back.
 */
@ExtendWith(VertxExtension.class)
class RateLimiterCallsTest {
  private static final RateLimits SLOTS_AND_WINDOWS = new RateLimits(1_000, null, null, 1_000_000, 100);

  private RedisCallCounter relay;
  private RateLimiter limiter;

  @BeforeEach
  void limiter(Vertx vertx) {
    RouterConfig config = RouterConfig.fromEnv(TestServices.env());
    URI redis = URI.create(config.redisUrl());
    relay = RedisCallCounter.start(vertx, redis.getHost(), redis.getPort());
    RedisAPI api = RedisAPI.api(Redis.createClient(vertx, relay.url()));
    // the relay's first connection in a JVM is now and then closed at once (seen after other test classes ran):
    // the limiter starts once its Redis answers through the relay
    await().atMost(Duration.ofSeconds(10)).until(() -> result(api.ping(List.of()).map(true).otherwise(false)));
    limiter = new RateLimiter(api, config);
    relay.reset();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  @Test
  @DisplayName("a request limited on its key, its account and its channel is admitted in one script call")
  void oneCallForEveryScope() {
    result(limiter.preload());
    relay.reset();
    Principal principal = principal(11, SLOTS_AND_WINDOWS, new RateLimits(1_000, null, null, null, 100));

    Admission admission = result(limiter.admit("one-call", principal, List.of(route(channel("c1", 100))), 50));

    assertThat(admission.admitted()).isTrue();
    assertThat(admission.lease().heldScopes()).as("key, account and channel each hold a slot").hasSize(3);
    assertThat(relay.scriptCalls()).isEqualTo(1);
  }

  @Test
  @DisplayName("with no limit on the key, the account or the channel, nothing at all is sent to Redis, "
      + "neither to admit nor to finish")
  void nothingSentWithoutLimits() {
    Principal unlimited = principal(12, RateLimits.NONE, RateLimits.NONE);

    Admission admission = result(limiter.admit("free", unlimited, List.of(route(channel("open", 0))), 50));
    result(admission.lease().finish(10));

    assertThat(admission.admitted()).isTrue();
    assertThat(relay.bytes()).as("bytes sent to Redis").isZero();
  }

  @Test
  @DisplayName("50 requests finishing together free their slots in a few script calls, not 50, and every slot is "
      + "free after")
  void finishesShareCalls(Vertx vertx) {
    Principal key = principal(13, new RateLimits(null, null, null, 1_000_000, 50), RateLimits.NONE);
    List<LimitLease> leases = admitAll(key, "batch-a", 50);
    assertThat(result(limiter.admit("51st", key, List.of(route(channel("open", 0))), 10)).admitted())
        .as("all 50 slots held").isFalse();
    relay.reset();

    result(onEventLoop(vertx, () -> Future.all(leases.stream().map(l -> l.finish(10)).toList())));

    assertThat(relay.scriptCalls()).as("script calls for 50 finishes").isBetween(1, 3);
    assertThat(admitAll(key, "batch-b", 50)).as("every slot came back").hasSize(50);
  }

  @Test
  @DisplayName("a slot freed while other finishes are on their way is soon usable by the next request")
  void freedSlotIsSoonUsable(Vertx vertx) {
    Principal single = principal(14, new RateLimits(null, null, null, null, 1), RateLimits.NONE);
    Principal busy = principal(15, new RateLimits(null, null, null, null, 200), RateLimits.NONE);
    LimitLease holder = admitAll(single, "single", 1).get(0);
    List<LimitLease> others = admitAll(busy, "busy", 200);
    assertThat(result(limiter.admit("waiting", single, List.of(route(channel("open", 0))), 10)).admitted())
        .isFalse();

    // the others' finishes go first, so the single slot's finish waits behind a call on its way
    onEventLoop(vertx, () -> {
      others.forEach(l -> l.finish(0));
      holder.finish(0);
      return Future.succeededFuture();
    });

    await().atMost(Duration.ofSeconds(5)).until(() ->
        result(limiter.admit("next", single, List.of(route(channel("open", 0))), 10)).admitted());
  }

  private List<LimitLease> admitAll(Principal principal, String prefix, int count) {
    List<LimitLease> leases = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Admission admission = result(limiter.admit(prefix + "-" + i, principal, List.of(route(channel("open", 0))), 10));
      assertThat(admission.admitted()).as(prefix + "-" + i).isTrue();
      leases.add(admission.lease());
    }
    return leases;
  }

  private static Principal principal(long id, RateLimits key, RateLimits account) {
    return new Principal(id, id, "k" + id, List.of("*"), null, key, account, null, false);
  }

  private static Route route(Channel channel) {
    return new Route(channel, "m", 0, 1);
  }

  private static Channel channel(String name, int concurrency) {
    JsonObject settings = concurrency > 0 ? new JsonObject().put("concurrency", concurrency) : new JsonObject();
    return new Channel(name, "openai", "http://x", null, 0, 1, false, "chat", settings);
  }
}
