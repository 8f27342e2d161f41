package gateway.router.limits;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.RouterConfig;
import gateway.common.bus.Channel;
import gateway.common.bus.Principal;
import gateway.common.bus.RateLimits;
import gateway.common.bus.Route;
import gateway.testsupport.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The limiter's lease: what an admitted request holds, taken for fallback channels and given back once. Real Redis. */
@ExtendWith(VertxExtension.class)
class LimitLeaseTest {
  private static final Principal KEY = new Principal(1, 1, "k", List.of("*"), null,
      new RateLimits(null, null, null, null, 5), RateLimits.NONE);

  private RateLimiter limiter;

  @BeforeEach
  void limiter(Vertx vertx) {
    RouterConfig config = RouterConfig.fromEnv(TestServices.env());
    limiter = new RateLimiter(RedisAPI.api(Redis.createClient(vertx, config.redisUrl())), config);
  }

  @Test
  @DisplayName("a fallback channel's slot is taken through the lease; once taken, others wait until the lease is finished")
  void acquireAndFinish() {
    Channel single = channel("single", 1);
    LimitLease first = admit("r1", channel("open", 0));
    LimitLease second = admit("r2", channel("open", 0));

    assertThat(result(first.acquire(single))).isTrue();
    assertThat(result(second.acquire(single))).isFalse();
    assertThat(first.heldScopes()).hasSize(2); // the key's concurrency slot and the fallback channel's

    result(first.finish(10));
    assertThat(result(admit("r3", channel("open", 0)).acquire(single))).isTrue();
  }

  @Test
  @DisplayName("finishing a lease twice is harmless: it never frees a slot another request holds")
  void finishOnce() {
    Channel single = channel("single-2", 1);
    LimitLease first = admit("r1", single);
    result(first.finish(0));
    LimitLease second = admit("r2", single);
    assertThat(second.heldScopes()).isNotEmpty();

    result(first.finish(0));

    assertThat(result(admit("r3", channel("open", 0)).acquire(single))).as("r2 still holds the only slot").isFalse();
  }

  @Test
  @DisplayName("a request with no limits anywhere holds an empty lease, and Redis is not asked")
  void emptyLease() {
    Principal unlimited = new Principal(2, 2, "u", List.of("*"), null, RateLimits.NONE, RateLimits.NONE);
    Admission admission = result(limiter.admit("r9", unlimited, List.of(route(channel("open", 0))), 100));
    assertThat(admission.admitted()).isTrue();
    assertThat(admission.lease().heldScopes()).isEmpty();
    assertThat(result(admission.lease().acquire(channel("open-2", 0)))).isTrue();
  }

  private LimitLease admit(String requestId, Channel first) {
    Admission admission = result(limiter.admit(requestId, KEY, List.of(route(first)), 100));
    assertThat(admission.admitted()).isTrue();
    return admission.lease();
  }

  private static Route route(Channel channel) {
    return new Route(channel, "m", 0, 1);
  }

  private static Channel channel(String name, int concurrency) {
    JsonObject settings = concurrency > 0 ? new JsonObject().put("concurrency", concurrency) : new JsonObject();
    return new Channel(name, "openai", "http://x", null, 0, 1, false, "chat", settings);
  }
}
