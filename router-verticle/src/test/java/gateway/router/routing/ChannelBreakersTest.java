package gateway.router.routing;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.bus.Channel;
import gateway.common.bus.RouterBus;
import gateway.common.config.Env;
import gateway.router.RouterConfig;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The breakers of router instances on a real Vert.x and its event bus, with no upstream, database or
 * Redis: each instance is confined to an event loop of its own, as a router verticle is.
 */
@ExtendWith(VertxExtension.class)
class ChannelBreakersTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  /** Failures and reset from the configuration: 3 failures, a reset far beyond any test. */
  private static final RouterConfig CONFIG = RouterConfig.fromEnv(Env.empty()
      .with("GATEWAY_BREAKER_FAILURES", 3).with("GATEWAY_BREAKER_RESET_SECONDS", 600));

  private Vertx vertx;
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();

  /** One router instance's breakers on its own event loop, following the others' changes as the verticle does. */
  private final class Instance {
    final Context loop = vertx.getOrCreateContext();
    final ChannelBreakers breakers = on(() -> new ChannelBreakers(vertx, CONFIG));

    Instance() {
      result(on(() -> vertx.eventBus().<JsonObject>consumer(RouterBus.BREAKER_CHANGED,
          m -> breakers.remoteChange(m.body())).completion()), BOUND);
    }

    <T> T on(Callable<T> work) {
      Promise<T> done = Promise.promise();
      loop.runOnContext(v -> {
        try {
          done.complete(work.call());
        } catch (Exception e) {
          done.fail(e);
        }
      });
      return result(done.future(), BOUND);
    }

    Promise<Void> attempt(Channel channel) {
      return on(() -> breakers.attempt(channel));
    }

    boolean isOpen(Channel channel) {
      return on(() -> breakers.isOpen(channel));
    }

    CircuitBreakerState state(Channel channel) {
      return on(() -> breakers.state(channel.name()));
    }

    /** One attempt that the channel itself failed. */
    void fail(Channel channel) {
      Promise<Void> outcome = attempt(channel);
      assertThat(outcome).as("an attempt on %s is let through", channel.name()).isNotNull();
      on(() -> outcome.tryFail("upstream 503"));
    }

    void succeed(Promise<Void> outcome) {
      on(() -> outcome.tryComplete());
    }
  }

  @BeforeEach
  void listen(Vertx vertx) {
    this.vertx = vertx;
    result(vertx.eventBus().<JsonObject>consumer(RouterBus.BREAKER_CHANGED, m -> published.add(m.body()))
        .completion());
  }

  @Test
  @DisplayName("a channel's breaker opens at the configured run of its failures, and an open channel is skipped")
  void opensAfterTheConfiguredFailures() {
    Instance router = new Instance();
    Channel channel = channel("flaky", null);
    router.fail(channel);
    router.fail(channel);
    assertThat(router.isOpen(channel)).as("open after 2 of 3 failures").isFalse();
    router.fail(channel);

    assertThat(router.isOpen(channel)).isTrue();
    assertThat(router.state(channel)).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(router.attempt(channel)).as("nothing goes to an open channel").isNull();
    assertThat(router.isOpen(channel("healthy", null))).as("other channels are untouched").isFalse();
  }

  @Test
  @DisplayName("successes in between do not open it; a channel's own breaker settings override the configuration")
  void successesAndChannelSettings() {
    Instance router = new Instance();
    Channel configured = channel("configured", null);
    router.fail(configured);
    router.fail(configured);
    router.succeed(router.attempt(configured));
    assertThat(router.isOpen(configured)).isFalse();

    Channel strict = channel("strict", new JsonObject().put("failures", 1));
    router.fail(strict);
    assertThat(router.isOpen(strict)).as("failures: 1 opens at the first").isTrue();
  }

  @Test
  @DisplayName("after its reset time an open breaker lets one probe through: its success closes it, its failure opens it again")
  void halfOpenProbe() {
    Instance router = new Instance();
    Channel channel = channel("probed", new JsonObject().put("failures", 1).put("reset_ms", 200));
    router.fail(channel);
    assertThat(router.isOpen(channel)).isTrue();
    await().atMost(BOUND).until(() -> router.state(channel) == CircuitBreakerState.HALF_OPEN);

    Promise<Void> probe = router.attempt(channel);
    assertThat(probe).as("the probe").isNotNull();
    assertThat(router.attempt(channel)).as("no second call while the probe is out").isNull();
    on(router, probe, false);
    assertThat(router.state(channel)).as("a failed probe opens it again").isEqualTo(CircuitBreakerState.OPEN);

    await().atMost(BOUND).until(() -> router.state(channel) == CircuitBreakerState.HALF_OPEN);
    on(router, router.attempt(channel), true);
    assertThat(router.state(channel)).as("a good probe closes it").isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(router.attempt(channel)).as("calls flow again").isNotNull();
  }

  @Test
  @DisplayName("an open and a close are published, and other instances follow: one that never used the channel starts open")
  void changesReachOtherInstances() {
    Instance first = new Instance();
    Instance second = new Instance();
    Instance fresh = new Instance();
    Channel channel = channel("shared", new JsonObject().put("failures", 2).put("reset_ms", 300));
    assertThat(second.isOpen(channel)).isFalse(); // the second instance uses the channel too

    first.fail(channel);
    first.fail(channel);
    await().atMost(BOUND).until(() -> published.stream().anyMatch(e -> "open".equals(e.getString("state"))));
    JsonObject opened = published.get(0);
    assertThat(opened.getString("channel")).isEqualTo("shared");
    assertThat(opened.getLong("reset_ms")).isEqualTo(300);
    await().atMost(BOUND).until(() -> second.isOpen(channel));
    assertThat(second.attempt(channel)).as("skipped on the second instance without a failure of its own").isNull();
    assertThat(fresh.isOpen(channel)).as("an instance that had not used the channel starts it open").isTrue();
    assertThat(published).as("only the instance that saw the failures announces the open").hasSize(1);

    await().atMost(BOUND).until(() -> first.state(channel) == CircuitBreakerState.HALF_OPEN
        && second.state(channel) == CircuitBreakerState.HALF_OPEN);
    on(first, first.attempt(channel), true);
    await().atMost(BOUND).until(() -> second.state(channel) == CircuitBreakerState.CLOSED);
    assertThat(second.attempt(channel)).as("the second instance needs no probe of its own").isNotNull();
    assertThat(published).extracting(e -> e.getString("state")).containsExactly("open", "closed");
  }

  private static void on(Instance router, Promise<Void> outcome, boolean success) {
    assertThat(outcome).isNotNull();
    router.on(() -> success ? outcome.tryComplete() : outcome.tryFail("probe failed"));
  }

  private static Channel channel(String name, JsonObject breaker) {
    JsonObject settings = breaker == null ? new JsonObject() : new JsonObject().put("breaker", breaker);
    return new Channel(name, "openai", "http://127.0.0.1:1/v1", "sk-test", 0, 1, false, Channel.WIRE_CHAT, settings);
  }
}
