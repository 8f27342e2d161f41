package gateway.router.exchange;

import gateway.common.bus.ResolvedModel;
import gateway.common.bus.Route;
import gateway.router.limits.Admission;
import java.util.List;

/**
 * A call admitted by the limiter: the routes to try in order (the first has room in its
 * channel's limits; open breakers are left out), what it holds in the limits, and the bound its
 * limits and hold were taken for.
 */
record ExchangePlan(ResolvedModel model, List<Route> routes, Admission admission, HoldEstimator.Bound bound) {
}
