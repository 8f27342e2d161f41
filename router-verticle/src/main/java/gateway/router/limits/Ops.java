package gateway.router.limits;

import java.util.ArrayList;
import java.util.List;

/** finish.lua's operations, five values each, gathered while the allowances' lock is held and sent after. */
final class Ops {
  static final int SIZE = 5;

  private final String leaseId;
  private final long leaseMs;
  private List<String> args;

  Ops(String leaseId, long leaseMs) {
    this.leaseId = leaseId;
    this.leaseMs = leaseMs;
  }

  /** Requests taken ahead at {@code at} (Redis ms) and not used, back to the windows named ("mhd"). */
  void requests(String prefix, long at, long requests, String windows) {
    add("r", prefix, Long.toString(at), Long.toString(requests), windows);
  }

  /** A token correction: positive were used beyond what was counted, negative were counted at {@code at} and not used. */
  void tokens(String prefix, long at, long tokens) {
    add("t", prefix, Long.toString(at), Long.toString(tokens), "");
  }

  /** Slots the router's lease gives back (0: renews the lease only). */
  void slots(String prefix, long slots) {
    add("s", prefix, leaseId, Long.toString(slots), Long.toString(leaseMs));
  }

  boolean isEmpty() {
    return args == null;
  }

  /** The gathered operations, flat; this collector is empty again after. */
  List<String> take() {
    List<String> taken = args == null ? List.of() : args;
    args = null;
    return taken;
  }

  private void add(String kind, String prefix, String a, String b, String c) {
    if (args == null) {
      args = new ArrayList<>(SIZE * 2);
    }
    args.add(kind);
    args.add(prefix);
    args.add(a);
    args.add(b);
    args.add(c);
  }
}
