package gateway.router.limits;

import gateway.common.bus.RateLimits;
import java.util.List;

/** One holder of limits in Redis: a key, an account or a channel, under its key prefix. */
record LimitScope(String kind, String prefix, String description, RateLimits limits) {
  /** Below this many a second (a sixteenth, for slots) a limit is asked of Redis on every request, exactly. */
  static final long LEAST_AHEAD = 8;

  boolean limited() {
    return !limits.isEmpty();
  }

  boolean countsRequests() {
    return limits.rpm() != null || limits.rph() != null || limits.rpd() != null;
  }

  boolean countsTokens() {
    return limits.tpm() != null;
  }

  boolean holdsSlots() {
    return limits.concurrency() != null;
  }

  /** Whether the request leaves something to undo when it ends (token estimate, concurrency slot). */
  boolean needsFinish() {
    return countsTokens() || holdsSlots();
  }

  /** The request windows kept, as finish.lua names them: m, h, d. */
  String requestWindows() {
    return (limits.rpm() != null ? "m" : "") + (limits.rph() != null ? "h" : "") + (limits.rpd() != null ? "d" : "");
  }

  /**
   * How many requests a router may take ahead for its allowance: a second's share of the tightest request window,
   * none when that is under {@link #LEAST_AHEAD} (small limits stay exact per request).
   */
  long requestsAhead() {
    long share = Long.MAX_VALUE;
    share = Math.min(share, perSecond(limits.rpm(), 60));
    share = Math.min(share, perSecond(limits.rph(), 3_600));
    share = Math.min(share, perSecond(limits.rpd(), 86_400));
    return share == Long.MAX_VALUE || share < LEAST_AHEAD ? 0 : share;
  }

  /** Tokens a router may take ahead: a second's share of the token window. */
  long tokensAhead() {
    long share = perSecond(limits.tpm(), 60);
    return share == Long.MAX_VALUE || share < LEAST_AHEAD ? 0 : share;
  }

  /** Slots a router may hold ahead: a sixteenth of the limit, none for limits under 128. */
  long slotsAhead() {
    Integer concurrency = limits.concurrency();
    return concurrency == null || concurrency / 16 < LEAST_AHEAD ? 0 : concurrency / 16;
  }

  /** The script's limits: prefix, rpm, rph, rpd, tpm, concurrency (-1 = none). */
  void addLimits(List<String> args) {
    args.add(prefix);
    args.add(value(limits.rpm()));
    args.add(value(limits.rph()));
    args.add(value(limits.rpd()));
    args.add(value(limits.tpm()));
    args.add(value(limits.concurrency()));
  }

  private static long perSecond(Integer limit, long seconds) {
    return limit == null ? Long.MAX_VALUE : limit / seconds;
  }

  private static String value(Integer limit) {
    return limit == null ? "-1" : limit.toString();
  }
}
