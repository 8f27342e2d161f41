package gateway.catalog;

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
 *
 * <p>Every snapshot carries the catalog's version, {@code catalog.changed} publishes it and
 * {@code catalog.resolve} answers with it. A resolve asking for a {@code min_version} this
 * instance has not loaded yet (its reload is late) waits for a reload instead of answering
 * with the old channels and prices.
 */
public final class CatalogVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogVerticle.class);
  /** The Postgres schema the module owns, and its migrations' folder. */
  public static final String SCHEMA = "catalog";

  private final CatalogConfig config;

  private Pool pool;
  private CatalogStore store;
  private volatile CatalogSnapshot snapshot = CatalogSnapshot.EMPTY;
  private Future<Void> reloading;
  private Future<Void> queuedReload;
  /** Versions asked for that a fresh load did not reach (a restored database): not reloaded for again. */
  private long unreachableUpTo = -1;

  public CatalogVerticle(CatalogConfig config) {
    this.config = config;
  }

  /** Its schema must be migrated before it deploys ({@link PgDatabase#migrate}). */
  @Override
  public Future<?> start() {
    pool = PgDatabase.pool(vertx, config.pg(), SCHEMA);
    store = new CatalogStore(pool);
    return applyCatalogFile(config.catalogPath())
        .compose(v -> reload())
        .compose(v -> registerConsumers());
  }

  private Future<Void> applyCatalogFile(String path) {
    if (path == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> CatalogFile.read(Path.of(path), System::getenv))
        .compose(file -> store.apply(file.channels(), file.models())
            .onSuccess(version -> {
              LOG.info("applied catalog file {}: {} channels, {} models", path, file.channels().size(),
                  file.models().size());
              // catalog instances and routers already running (a rolling update) pick it up now
              vertx.eventBus().publish(CatalogBus.CHANGED, new JsonObject().put(CatalogBus.VERSION, version));
            }).mapEmpty());
  }

  private Future<Void> registerConsumers() {
    EventBus bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<JsonObject>consumer(CatalogBus.CHANGED, m -> {
          Long version = versionOf(m.body(), CatalogBus.VERSION);
          (version == null ? reload() : catchUp(version)).onFailure(e -> LOG.error("catalog reload failed", e));
        }).completion(),
        BusReplies.serve(bus, CatalogBus.RESOLVE, body -> catchUp(versionOf(body, CatalogBus.MIN_VERSION)).map(v -> {
          CatalogSnapshot current = snapshot;
          return current.resolve(body.getString("model"), body.getString("channel"), scope(body)).toJson()
              .put(CatalogBus.VERSION, current.version());
        })),
        BusReplies.serve(bus, CatalogBus.MODELS, body -> Future.succeededFuture(
            snapshot.publicModels(scope(body)))),
        BusReplies.serve(bus, CatalogBus.CHANNELS_PUT, body -> {
          ChannelDefinition channel = ChannelView.restoreMasked(ChannelDefinition.parse(name(body, "name"), body),
              snapshot.channels().get(name(body, "name")));
          return store.putChannel(channel).compose(this::changed)
              .map(v -> CatalogSnapshot.channelView(snapshot.channels().get(channel.name())));
        }),
        BusReplies.serve(bus, CatalogBus.MODELS_PUT, body -> {
          ModelDefinition model = ModelDefinition.parse(name(body, "alias"), body);
          return store.putModel(model).compose(this::changed)
              .map(v -> CatalogSnapshot.modelView(snapshot.models().get(model.alias())));
        }),
        BusReplies.serve(bus, CatalogBus.CHANNELS_LIST, body -> Future.succeededFuture(snapshot.channelViews())),
        BusReplies.serve(bus, CatalogBus.CHANNELS_PROBE, body -> Future.succeededFuture(
            snapshot.probe(name(body, "name")))),
        BusReplies.serve(bus, CatalogBus.MODELS_LIST, body -> Future.succeededFuture(snapshot.modelViews())),
        BusReplies.serveLocal(bus, CatalogBus.HEALTH, body -> store.ping().map(new JsonObject())))).mapEmpty();
  }

  /** After this instance committed {@code version}: reloads, then tells the others (and every router cache). */
  private Future<Void> changed(long version) {
    return catchUp(version).onSuccess(v -> vertx.eventBus().publish(CatalogBus.CHANGED,
        new JsonObject().put(CatalogBus.VERSION, Math.max(version, snapshot.version()))));
  }

  /** Completes once the snapshot is at least {@code version}; at once when none is asked for. */
  private Future<Void> catchUp(Long version) {
    if (version == null || snapshot.version() >= version || version <= unreachableUpTo) {
      return Future.succeededFuture();
    }
    return reload().onSuccess(v -> {
      if (snapshot.version() < version) {
        unreachableUpTo = Math.max(unreachableUpTo, version);
        LOG.warn("asked for catalog version {}, the database is at {} (restored?): answering from that",
            version, snapshot.version());
      }
    });
  }

  /**
   * Loads the catalog and applies it unless a newer one is in place. One load runs at a time:
   * a caller arriving while one runs (which may have read the catalog before the change the
   * caller knows of) gets the one load queued behind it, shared by everyone who asked meanwhile.
   */
  private Future<Void> reload() {
    if (reloading == null) {
      reloading = store.load().<Void>map(loaded -> {
        if (loaded.version() > snapshot.version()) {
          snapshot = loaded;
        }
        return null;
      }).onComplete(done -> reloading = null);
      return reloading;
    }
    if (queuedReload == null) {
      queuedReload = reloading.transform(done -> {
        queuedReload = null;
        return reload();
      });
    }
    return queuedReload;
  }

  private static Long versionOf(JsonObject body, String field) {
    Object version = body == null ? null : body.getValue(field);
    return version instanceof Number n ? n.longValue() : null;
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
