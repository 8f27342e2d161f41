package gateway.common.bus;

/** The catalog service: channels, models, aliases and prices. */
public final class CatalogBus {
  /**
   * {model, channel?, scope[]} → {@link ResolvedModel}, routes ordered by priority.
   * Fails 404 {@code model_not_found}, 403 {@code model_not_allowed} (model outside
   * {@code scope}), 400 {@code invalid_value@channel} (pinned channel does not serve it).
   */
  public static final String RESOLVE = "catalog.resolve";
  /** {scope[]?} → {data: [public model entries]}; without scope, the whole public catalog. */
  public static final String MODELS = "catalog.models";
  /** Published {} after any catalog change. */
  public static final String CHANGED = "catalog.changed";
  /** {name, type, base_url, api_key?, …} → channel view (never the api key). */
  public static final String CHANNELS_PUT = "catalog.channels.put";
  /** {} → {data: [channel view]}. */
  public static final String CHANNELS_LIST = "catalog.channels.list";
  /** {alias, type, price, routes[], …} → model view. Fails 400 when a route names an unknown channel. */
  public static final String MODELS_PUT = "catalog.models.put";
  /** {} → {data: [model view]}, disabled ones included. */
  public static final String MODELS_LIST = "catalog.models.list";
  /** Local only: {} → {} when the service can reach its database. */
  public static final String HEALTH = "catalog.health";

  private CatalogBus() {
  }
}
