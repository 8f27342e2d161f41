package gateway.catalog;

import gateway.common.GatewayConfig;
import gateway.common.GatewayError;
import gateway.common.PgDatabase;
import gateway.common.bus.BusReplies;
import gateway.common.bus.CatalogBus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the {@link CatalogBus} addresses from an in-memory {@link CatalogSnapshot}, reloaded
 * from the {@code catalog} schema after every change here or on another catalog instance.
 * Applies the catalog file at start.
 */
public final class CatalogVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogVerticle.class);
  static final String SCHEMA = "catalog";

  private Pool pool;
  private CatalogStore store;
  private volatile CatalogSnapshot snapshot = CatalogSnapshot.EMPTY;
  private long loadsStarted;
  private long newestApplied;

  @Override
  public Future<?> start() {
    GatewayConfig config = GatewayConfig.fromJson(config());
    return PgDatabase.open(vertx, config, SCHEMA)
        .compose(opened -> {
          pool = opened;
          store = new CatalogStore(pool);
          return applyCatalogFile(config.catalogPath());
        })
        .compose(v -> reload())
        .compose(v -> registerConsumers());
  }

  private Future<Void> applyCatalogFile(String path) {
    if (path == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> CatalogFile.read(Path.of(path), System::getenv))
        .compose(file -> store.apply(file.channels(), file.models())
            .onSuccess(v -> {
              LOG.info("applied catalog file {}: {} channels, {} models", path, file.channels().size(),
                  file.models().size());
              // catalog instances and routers already running (a rolling update) pick it up now
              vertx.eventBus().publish(CatalogBus.CHANGED, new JsonObject());
            }));
  }

  private Future<Void> registerConsumers() {
    EventBus bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<JsonObject>consumer(CatalogBus.CHANGED, m -> reload()
            .onFailure(e -> LOG.error("catalog reload failed", e))).completion(),
        BusReplies.serve(bus, CatalogBus.RESOLVE, body -> Future.succeededFuture(
            snapshot.resolve(body.getString("model"), body.getString("channel"), scope(body)).toJson())),
        BusReplies.serve(bus, CatalogBus.MODELS, body -> Future.succeededFuture(
            snapshot.publicModels(scope(body)))),
        BusReplies.serve(bus, CatalogBus.CHANNELS_PUT, body -> {
          ChannelDefinition channel = ChannelView.restoreMasked(ChannelDefinition.parse(name(body, "name"), body),
              snapshot.channels().get(name(body, "name")));
          return store.putChannel(channel).compose(v -> changed())
              .map(v -> CatalogSnapshot.channelView(snapshot.channels().get(channel.name())));
        }),
        BusReplies.serve(bus, CatalogBus.MODELS_PUT, body -> {
          ModelDefinition model = ModelDefinition.parse(name(body, "alias"), body);
          return store.putModel(model).compose(v -> changed())
              .map(v -> CatalogSnapshot.modelView(snapshot.models().get(model.alias())));
        }),
        BusReplies.serve(bus, CatalogBus.CHANNELS_LIST, body -> Future.succeededFuture(snapshot.channelViews())),
        BusReplies.serve(bus, CatalogBus.MODELS_LIST, body -> Future.succeededFuture(snapshot.modelViews())),
        BusReplies.serveLocal(bus, CatalogBus.HEALTH, body -> store.ping().map(new JsonObject())))).mapEmpty();
  }

  /** Reloads this instance, then tells the others (and every router cache). */
  private Future<Void> changed() {
    return reload().onSuccess(v -> vertx.eventBus().publish(CatalogBus.CHANGED, new JsonObject()));
  }

  /** Reloads the snapshot; a load that finishes after a newer one has been applied is dropped. */
  private Future<Void> reload() {
    long sequence = ++loadsStarted;
    return store.load().map(loaded -> {
      if (sequence > newestApplied) {
        newestApplied = sequence;
        snapshot = loaded;
      }
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  @SuppressWarnings("unchecked")
  private static List<String> scope(JsonObject body) {
    JsonArray scope = body.getJsonArray("scope");
    return scope == null ? null : scope.getList();
  }

  private static String name(JsonObject body, String field) {
    String name = body.getString(field);
    if (name == null || name.isBlank()) {
      throw GatewayError.MISSING_FIELD.exception("'" + field + "' is required", field);
    }
    return name;
  }
}
