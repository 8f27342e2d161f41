package gateway.router.chat;

import gateway.common.bus.ResolvedModel;
import gateway.common.bus.Route;
import gateway.router.limits.Admission;
import java.util.List;

/**
 * A request admitted by the limiter: the routes to try in order (the first has room in its
 * channel's limits; open breakers are left out) and the bound its limits and hold were taken for.
 */
record ChatPlan(ResolvedModel model, List<Route> routes, Admission admission, HoldEstimator.Bound bound) {

  /** The tokens the limits hold for this request until it ends. */
  long tokenEstimate() {
    return bound.totalTokens();
  }
}
