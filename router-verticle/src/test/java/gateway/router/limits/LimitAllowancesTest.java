package gateway.router.limits;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.bus.Channel;
import gateway.common.bus.Principal;
import gateway.common.bus.RateLimits;
import gateway.common.bus.Route;
import gateway.router.RouterConfig;
import gateway.testsupport.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Allowances taken ahead: two limiters stand for two routers sharing the real Redis. A large limit is asked of Redis
 * a few times, not per request; the routers together still never admit more than the limit; what one took ahead and
 * did not use goes back.
 */
@ExtendWith(VertxExtension.class)
class LimitAllowancesTest {
  private static final Route OPEN = new Route(new Channel("open", "openai", "http://x", null, 0, 1, false, "chat",
      new JsonObject()), "m", 0, 1);

  private RouterConfig config;
  private RedisCallCounter relay;
  private RedisAPI direct;
  private RateLimiter first;
  private RateLimiter second;

  @BeforeEach
  void limiters(Vertx vertx) {
    config = RouterConfig.fromEnv(TestServices.env());
    URI redis = URI.create(config.redisUrl());
    relay = RedisCallCounter.start(vertx, redis.getHost(), redis.getPort());
    RedisAPI relayed = RedisAPI.api(Redis.createClient(vertx, relay.url()));
    await().atMost(Duration.ofSeconds(10)).until(() -> result(relayed.ping(List.of()).map(true).otherwise(false)));
    direct = RedisAPI.api(Redis.createClient(vertx, config.redisUrl()));
    first = new RateLimiter(relayed, config);
    second = new RateLimiter(direct, config);
    result(first.preload());
    result(second.preload());
    relay.reset();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  @Test
  @DisplayName("200 requests under a large limit are admitted with a few script calls, not one each")
  void largeLimitIsAskedRarely() {
    Principal key = key(new RateLimits(600_000, null, null, 100_000_000, 10_000));
    List<LimitLease> leases = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Admission admission = result(first.admit("rare-" + i, key, List.of(OPEN), 100));
      assertThat(admission.admitted()).isTrue();
      assertThat(admission.headers().requestLimit()).isEqualTo(600_000);
      leases.add(admission.lease());
    }
    assertThat(relay.scriptCalls()).as("admit calls for 200 requests").isLessThanOrEqualTo(10);
    leases.forEach(l -> l.finish(100));
  }

  @Test
  @DisplayName("two routers drawing allowances of one key with 600 RPM admit exactly 600 of 1,000 requests, "
      + "and Redis counts exactly 600 in the window once what is left over is given back")
  void routersTogetherNeverExceedTheLimit() {
    Principal key = key(new RateLimits(600, null, null, null, null));
    int admitted = 0;
    for (int i = 0; i < 1_000; i++) {
      RateLimiter limiter = i % 2 == 0 ? first : second;
      if (result(limiter.admit("edge-" + i, key, List.of(OPEN), 10)).admitted()) {
        admitted++;
      }
    }
    assertThat(relay.scriptCalls()).as("the first router's admit calls").isLessThan(500);
    assertThat(admitted).isEqualTo(600);
    result(first.close());
    result(second.close());
    assertThat(windowSum(key, "rpm")).isEqualTo(600);
  }

  @Test
  @DisplayName("requests taken ahead and not used are back in Redis within the allowance's life, by the sweep")
  void unusedRequestsGoBack(Vertx vertx) {
    Principal key = key(new RateLimits(60_000, null, 1_000_000, null, null));
    first.startSweeping(vertx);
    assertThat(result(first.admit("once", key, List.of(OPEN), 10)).admitted()).isTrue();
    assertThat(windowSum(key, "rpm")).as("one request and the allowance taken ahead").isGreaterThan(1);
    assertThat(windowSum(key, "rpd")).isGreaterThan(1);

    await().atMost(Duration.ofSeconds(10)).until(() -> windowSum(key, "rpm") == 1 && windowSum(key, "rpd") == 1);
    result(first.close());
  }

  @Test
  @DisplayName("token estimates are corrected with the real count: 50 requests estimated at 1,000 tokens that used "
      + "10 each leave 500 tokens in the window")
  void tokensAreCorrected() {
    Principal key = key(new RateLimits(null, null, null, 6_000_000, null));
    List<LimitLease> leases = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      leases.add(result(first.admit("tokens-" + i, key, List.of(OPEN), 1_000)).lease());
    }
    assertThat(windowSum(key, "tpm")).isGreaterThanOrEqualTo(50_000);
    leases.forEach(l -> result(l.finish(10)));
    result(first.close());
    assertThat(windowSum(key, "tpm")).isEqualTo(500);
  }

  @Test
  @DisplayName("two routers holding slots of one key with 200 concurrent: exactly 200 held at once, and every slot "
      + "is back in Redis once the requests end and the routers give back their spares")
  void slotsHoldAcrossRouters() {
    Principal key = key(new RateLimits(null, null, null, null, 200));
    List<LimitLease> held = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Admission admission = result((i % 2 == 0 ? first : second).admit("slot-" + i, key, List.of(OPEN), 10));
      if (admission.admitted()) {
        held.add(admission.lease());
      }
    }
    assertThat(held).hasSize(200);
    assertThat(slotsInRedis(key)).isEqualTo(200);

    held.forEach(l -> result(l.finish(10)));
    result(first.close());
    result(second.close());
    assertThat(slotsInRedis(key)).isZero();
    assertThat(result(second.admit("after", key, List.of(OPEN), 10)).admitted()).isTrue();
  }

  @Test
  @DisplayName("a router that dies holding slots (never finishes, never gives back) loses none for good: once its "
      + "lease expires, another router gets every slot")
  void deadRoutersSlotsComeBack(Vertx vertx) {
    Principal key = key(new RateLimits(null, null, null, null, 150));
    RateLimiter dying = new RateLimiter(RedisAPI.api(Redis.createClient(vertx, config.redisUrl())), config, 2_000);
    int held = 0;
    for (int i = 0; i < 200; i++) {
      if (result(dying.admit("dying-" + i, key, List.of(OPEN), 10)).admitted()) {
        held++;
      }
    }
    assertThat(held).isEqualTo(150);
    assertThat(result(second.admit("meanwhile", key, List.of(OPEN), 10)).admitted()).isFalse();

    // the dying router is dropped here: no finish, no close, no sweep renewing its lease
    await().atMost(Duration.ofSeconds(15)).until(() -> slotsInRedis(key) == 0);
    List<LimitLease> all = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      Admission admission = result(second.admit("after-" + i, key, List.of(OPEN), 10));
      assertThat(admission.admitted()).as("slot " + i).isTrue();
      all.add(admission.lease());
    }
    all.forEach(l -> result(l.finish(10)));
    result(second.close());
  }

  private long windowSum(Principal key, String window) {
    Response sum = result(direct.hget(prefix(key) + ":w:" + window, "sum"));
    return sum == null ? 0 : sum.toLong();
  }

  private long slotsInRedis(Principal key) {
    long held = 0;
    for (Response count : result(direct.hvals(prefix(key) + ":s"))) {
      held += count.toLong();
    }
    return held;
  }

  private String prefix(Principal key) {
    return config.redisPrefix() + ":k:" + key.keyId();
  }

  /** A key of its own in this run: Redis outlives test runs. */
  private static Principal key(RateLimits limits) {
    long id = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
    return new Principal(id, id, "k" + id, List.of("*"), null, limits, RateLimits.NONE);
  }
}
