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
 *
 * <p>A late answer cannot undo a change: each clear starts a new generation and an answer to a
 * lookup started before it is used but not stored; every lookup asks for at least the newest
 * catalog version this router was told of ({@code catalog.changed} carries it), so a catalog
 * replica whose reload lags reloads before answering, and an answer older than that version is
 * never stored. Confined to its verticle's event loop.
 */
public final class ModelResolver {
  private static final long TTL_NANOS = 60_000_000_000L;
  private static final int MAX_ENTRIES = 50_000;

  private record Entry(ResolvedModel model, long expiresAtNanos) {
  }

  private final EventBus bus;
  private final Map<String, Entry> cache = new HashMap<>();
  private long generation;
  private long newestVersion = -1;

  public ModelResolver(EventBus bus) {
    this.bus = bus;
  }

  /** After {@code auth.keys.changed}: scopes may differ. */
  public void clear() {
    generation++;
    cache.clear();
  }

  /** After {@code catalog.changed}: prices or routes differ from the version it names on. */
  public void catalogChanged(JsonObject event) {
    seen(event == null ? null : event.getValue(CatalogBus.VERSION));
    clear();
  }

  public Future<ResolvedModel> resolve(String model, String channel, Principal principal) {
    String cacheKey = model + '\u0000' + (channel == null ? "" : channel) + '\u0000' + principal.keyId();
    Entry entry = cache.get(cacheKey);
    if (entry != null && entry.expiresAtNanos - System.nanoTime() > 0) {
      return Future.succeededFuture(entry.model);
    }
    long lookupGeneration = generation;
    JsonObject request = new JsonObject()
        .put("model", model)
        .put("channel", channel)
        .put("scope", new JsonArray(principal.models()));
    if (newestVersion >= 0) {
      request.put(CatalogBus.MIN_VERSION, newestVersion);
    }
    return BusTimer.timed(CatalogBus.RESOLVE, bus.<JsonObject>request(CatalogBus.RESOLVE, request)).map(reply -> {
      ResolvedModel resolved = ResolvedModel.fromJson(reply.body());
      Object version = reply.body().getValue(CatalogBus.VERSION);
      boolean current = !(version instanceof Number n) || n.longValue() >= newestVersion;
      seen(version);
      if (current && lookupGeneration == generation) {
        if (cache.size() >= MAX_ENTRIES) {
          cache.clear();
        }
        cache.put(cacheKey, new Entry(resolved, System.nanoTime() + TTL_NANOS));
      }
      return resolved;
    });
  }

  private void seen(Object version) {
    if (version instanceof Number n) {
      newestVersion = Math.max(newestVersion, n.longValue());
    }
  }
}
