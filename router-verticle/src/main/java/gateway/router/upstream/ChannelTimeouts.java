package gateway.router.upstream;

import gateway.router.RouterConfig;
import gateway.common.bus.Channel;
import io.vertx.core.json.JsonObject;

/**
 * How long a channel may take: to connect, to send its response headers, between two
 * pieces of a stream, and in all. A channel sets them under {@code timeouts} in
 * milliseconds ({@code connect_ms}, {@code first_byte_ms}, {@code idle_ms}, {@code total_ms});
 * the rest come from the configuration. {@link #forAttempt} fits them to one call.
 */
public record ChannelTimeouts(long connectMs, long firstByteMs, long idleMs, long totalMs) {
  static final long DEFAULT_CONNECT_MS = 10_000;
  static final long DEFAULT_FIRST_BYTE_MS = 120_000;
  static final long DEFAULT_IDLE_MS = 120_000;

  public static ChannelTimeouts of(Channel channel, RouterConfig config) {
    JsonObject t = channel.settings().getValue("timeouts") instanceof JsonObject o ? o : new JsonObject();
    long total = t.getLong("total_ms", config.upstreamTimeoutSeconds() * 1000);
    return new ChannelTimeouts(
        t.getLong("connect_ms", DEFAULT_CONNECT_MS),
        t.getLong("first_byte_ms", Math.min(DEFAULT_FIRST_BYTE_MS, total)),
        t.getLong("idle_ms", Math.min(DEFAULT_IDLE_MS, total)),
        total);
  }

  /**
   * The timeouts of one call with {@code remainingMs} left of its request's life. A non-stream
   * answer's first byte is the whole answer (providers send headers when it is complete), so
   * only the total bounds it; a stream's headers come at once, so its first-byte timeout stays.
   */
  public ChannelTimeouts forAttempt(boolean stream, long remainingMs) {
    long total = Math.max(1, Math.min(totalMs, remainingMs));
    return new ChannelTimeouts(Math.min(connectMs, total), stream ? Math.min(firstByteMs, total) : total,
        Math.min(idleMs, total), total);
  }
}
