package gateway.router.edge;

import gateway.common.bus.CatalogBus;
import gateway.common.bus.Principal;
import gateway.common.bus.ResolvedModel;
import gateway.router.observe.BusTimer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code catalog.resolve} with a per-instance cache keyed by model, pinned channel and key.
 * The verticle empties it on any catalog or key change, so a new price or scope applies at once.
 * Confined to its verticle's event loop.
 */
public final class ModelResolver {
  private static final long TTL_NANOS = 60_000_000_000L;
  private static final int MAX_ENTRIES = 50_000;

  private record Entry(ResolvedModel model, long expiresAtNanos) {
  }

  private final EventBus bus;
  private final Map<String, Entry> cache = new HashMap<>();

  public ModelResolver(EventBus bus) {
    this.bus = bus;
  }

  /** After {@code catalog.changed} or {@code auth.keys.changed}: prices, routes or scopes may differ. */
  public void clear() {
    cache.clear();
  }

  public Future<ResolvedModel> resolve(String model, String channel, Principal principal) {
    String cacheKey = model + '\u0000' + (channel == null ? "" : channel) + '\u0000' + principal.keyId();
    Entry entry = cache.get(cacheKey);
    if (entry != null && entry.expiresAtNanos - System.nanoTime() > 0) {
      return Future.succeededFuture(entry.model);
    }
    JsonObject request = new JsonObject()
        .put("model", model)
        .put("channel", channel)
        .put("scope", new JsonArray(principal.models()));
    return BusTimer.timed(CatalogBus.RESOLVE, bus.<JsonObject>request(CatalogBus.RESOLVE, request)).map(reply -> {
      ResolvedModel resolved = ResolvedModel.fromJson(reply.body());
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
      cache.put(cacheKey, new Entry(resolved, System.nanoTime() + TTL_NANOS));
      return resolved;
    });
  }
}
