package gateway.router.selfservice;

import gateway.common.GatewayError;
import gateway.router.edge.TrustedProxies;
import io.vertx.ext.web.RoutingContext;

/** Who may call what: checks that throw the error the client sees (the failure handler answers it). */
final class Guards {
  private Guards() {
  }

  static SignedInUser signedIn(RoutingContext ctx) {
    SignedInUser user = Sessions.user(ctx);
    if (user == null) {
      throw GatewayError.NOT_SIGNED_IN.exception();
    }
    return user;
  }

  /** A signed-in owner or member; operators have no account. */
  static SignedInUser accountUser(RoutingContext ctx) {
    SignedInUser user = signedIn(ctx);
    if (user.operator()) {
      throw GatewayError.FORBIDDEN.exception("Operators have no account; this call is for an account's users.");
    }
    return user;
  }

  /**
   * The client's address, what per-address attempt counters count: the connecting peer's, or the one a
   * trusted proxy forwarded.
   */
  static String clientAddress(RoutingContext ctx, TrustedProxies proxies) {
    return proxies.clientAddress(ctx.request());
  }
}
