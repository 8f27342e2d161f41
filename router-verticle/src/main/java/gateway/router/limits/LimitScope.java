package gateway.router.limits;

import gateway.common.bus.RateLimits;
import java.util.List;

/** One holder of limits in Redis: a key, an account or a channel, under its key prefix. */
record LimitScope(String kind, String prefix, String description, RateLimits limits) {

  boolean limited() {
    return !limits.isEmpty();
  }

  /** Whether the request leaves something to undo when it ends (token estimate, concurrency slot). */
  boolean needsFinish() {
    return limits.tpm() != null || limits.concurrency() != null;
  }

  /**
   * How the scope is named among a lease's held scopes: its prefix led by what finish.lua has to undo there
   * ({@code t} a token estimate, {@code c} a concurrency slot, {@code b} both).
   */
  String held() {
    boolean tokens = limits.tpm() != null;
    boolean slot = limits.concurrency() != null;
    return (tokens && slot ? "b" : tokens ? "t" : "c") + prefix;
  }

  /** The script's argument group: prefix, rpm, rph, rpd, tpm, concurrency (-1 = none). */
  void addArguments(List<String> args) {
    args.add(prefix);
    args.add(value(limits.rpm()));
    args.add(value(limits.rph()));
    args.add(value(limits.rpd()));
    args.add(value(limits.tpm()));
    args.add(value(limits.concurrency()));
  }

  private static String value(Integer limit) {
    return limit == null ? "-1" : limit.toString();
  }
}
