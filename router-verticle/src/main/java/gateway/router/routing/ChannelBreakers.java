package gateway.router.routing;

import gateway.router.RouterConfig;
import gateway.common.bus.Channel;
import gateway.common.bus.RouterBus;
import gateway.router.observe.RouterMetrics;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Vert.x circuit breaker per channel, for one router instance. A breaker opens after a
 * run of the channel's own failures within a window, lets one probe through after its reset
 * time, and closes when the probe succeeds. Each open and close is published on
 * {@link RouterBus#BREAKER_CHANGED} and applied by every other instance, so a dead channel is
 * skipped everywhere at once (a close reaches instances that are half-open; an instance still
 * open probes on its own once its reset time is up). Breakers never retry: moving to another channel is the router's call.
 *
 * <p>A channel tunes its breaker under {@code breaker} ({@code failures}, {@code window_ms},
 * {@code reset_ms}); the rest comes from the configuration. Confined to its verticle's event loop.
 */
public final class ChannelBreakers {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelBreakers.class);
  private static final long DEFAULT_WINDOW_MS = 10_000;

  private final Vertx vertx;
  private final RouterConfig config;
  private final String origin = UUID.randomUUID().toString();
  private final Map<String, Entry> breakers = new HashMap<>();
  // Opens announced by other instances for channels this one has not used yet: nanoTime deadlines.
  private final Map<String, Long> openedElsewhereUntil = new HashMap<>();
  private boolean applyingRemoteChange;

  private record Entry(CircuitBreaker breaker, JsonObject settings) {
  }

  public ChannelBreakers(Vertx vertx, RouterConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Whether the channel is known dead right now (open breaker): skip it. */
  public boolean isOpen(Channel channel) {
    return breaker(channel).state() == CircuitBreakerState.OPEN;
  }

  /**
   * Starts an attempt on the channel. Returns the promise to complete with the attempt's
   * outcome as the breaker should count it (fail only for the channel's own failures), or
   * null when the breaker lets nothing through (open, or half-open with its probe out).
   */
  public Promise<Void> attempt(Channel channel) {
    CircuitBreaker breaker = breaker(channel);
    if (breaker.state() == CircuitBreakerState.OPEN) {
      return null;
    }
    Promise<Void> outcome = Promise.promise();
    boolean[] admitted = {false};
    breaker.<Void>execute(command -> {
      admitted[0] = true;
      outcome.future().onComplete(command);
    });
    return admitted[0] ? outcome : null;
  }

  public CircuitBreakerState state(String channel) {
    Entry entry = breakers.get(channel);
    return entry == null ? CircuitBreakerState.CLOSED : entry.breaker.state();
  }

  /** Applies a {@link RouterBus#BREAKER_CHANGED} event from another instance. */
  public void remoteChange(JsonObject event) {
    if (origin.equals(event.getString("origin"))) {
      return;
    }
    String channel = event.getString("channel");
    CircuitBreakerState wanted = "open".equals(event.getString("state"))
        ? CircuitBreakerState.OPEN : CircuitBreakerState.CLOSED;
    Entry entry = breakers.get(channel);
    if (entry == null) {
      // Not used here yet: remember the open, so the breaker starts open when first needed.
      if (wanted == CircuitBreakerState.OPEN) {
        openedElsewhereUntil.put(channel, System.nanoTime() + event.getLong("reset_ms", 0L) * 1_000_000);
      } else {
        openedElsewhereUntil.remove(channel);
      }
      return;
    }
    if (entry.breaker.state() == wanted) {
      return;
    }
    applyingRemoteChange = true;
    try {
      if (wanted == CircuitBreakerState.OPEN) {
        entry.breaker.open();
      } else {
        entry.breaker.reset(); // from half-open; an open breaker keeps waiting for its own probe
      }
    } finally {
      applyingRemoteChange = false;
    }
  }

  private CircuitBreaker breaker(Channel channel) {
    Entry entry = breakers.get(channel.name());
    JsonObject settings = channel.settings().getValue("breaker") instanceof JsonObject s ? s : new JsonObject();
    if (entry == null || !entry.settings.equals(settings)) {
      entry = new Entry(create(channel.name(), settings), settings);
      breakers.put(channel.name(), entry);
      Long openUntil = openedElsewhereUntil.remove(channel.name());
      if (openUntil != null && openUntil - System.nanoTime() > 0) {
        applyingRemoteChange = true;
        try {
          entry.breaker.open();
        } finally {
          applyingRemoteChange = false;
        }
      }
    }
    return entry.breaker;
  }

  private CircuitBreaker create(String channel, JsonObject settings) {
    long resetMs = settings.getLong("reset_ms", config.breakerResetSeconds() * 1000);
    CircuitBreakerOptions options = new CircuitBreakerOptions()
        .setMaxFailures(settings.getInteger("failures", config.breakerFailures()))
        .setFailuresRollingWindow(settings.getLong("window_ms", DEFAULT_WINDOW_MS))
        .setResetTimeout(resetMs)
        .setTimeout(-1)
        .setMaxRetries(0)
        .setNotificationAddress(null);
    CircuitBreaker breaker = CircuitBreaker.create("channel-" + channel, vertx, options);
    breaker.openHandler(v -> changed(channel, "open", resetMs));
    breaker.closeHandler(v -> changed(channel, "closed", resetMs));
    breaker.halfOpenHandler(v -> {
      RouterMetrics.breakerState(channel, 1);
      LOG.info("channel '{}' half-open: one probe goes through", channel);
    });
    return breaker;
  }

  private void changed(String channel, String state, long resetMs) {
    RouterMetrics.breakerState(channel, "open".equals(state) ? 2 : 0);
    LOG.warn("channel '{}' breaker {}{}", channel, state, applyingRemoteChange ? " (told by another router)" : "");
    if (!applyingRemoteChange) {
      vertx.eventBus().publish(RouterBus.BREAKER_CHANGED, new JsonObject().put("channel", channel)
          .put("state", state).put("reset_ms", resetMs).put("origin", origin));
    }
  }
}
