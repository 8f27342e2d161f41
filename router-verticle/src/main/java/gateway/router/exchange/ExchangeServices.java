package gateway.router.exchange;

import gateway.router.RouterConfig;
import gateway.router.limits.RateLimiter;
import gateway.router.provider.AdapterRegistry;
import gateway.router.routing.ChannelBreakers;
import gateway.router.routing.RouteSelector;
import gateway.router.upstream.UpstreamDeadlines;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/** What every exchange of a router instance shares. */
public record ExchangeServices(Vertx vertx, RouterConfig config, HttpClient http, UpstreamDeadlines deadlines,
                           AdapterRegistry adapters,
                           BillingClient billing, TokenCounter tokens, HoldEstimator holds,
                           RouteSelector routeSelector, ChannelBreakers breakers, RateLimiter limiter) {
}
