package gateway.router.chat;

import gateway.router.RouterConfig;
import gateway.router.limits.RateLimiter;
import gateway.router.provider.AdapterRegistry;
import gateway.router.routing.ChannelBreakers;
import gateway.router.routing.RouteSelector;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/** What every chat exchange of a router instance shares. */
public record ChatServices(Vertx vertx, RouterConfig config, HttpClient http, AdapterRegistry adapters,
                           BillingClient billing, TokenCounter tokens, HoldEstimator holds,
                           RouteSelector routeSelector, ChannelBreakers breakers, RateLimiter limiter) {
}
