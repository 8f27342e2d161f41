package gateway.common.bus;

/** The catalog service: channels, models, aliases and prices. */
public final class CatalogBus {
  /**
   * {model, channel?, scope[], min_version?} → {@link ResolvedModel} plus {version}, routes ordered
   * by priority. A catalog instance that has not loaded {@code min_version} yet reloads before it
   * answers. Fails 404 {@code model_not_found}, 403 {@code model_not_allowed} (model outside
   * {@code scope}), 400 {@code invalid_value@channel} (pinned channel does not serve it).
   * The routes carry each channel's api key: the router sends it upstream.
   */
  public static final String RESOLVE = "catalog.resolve";
  /** {scope[]?} → {data: [public model entries]}; without scope, the whole public catalog. No channel or key. */
  public static final String MODELS = "catalog.models";
  /** Published {version} after any catalog change: the version that change committed. */
  public static final String CHANGED = "catalog.changed";
  /** The catalog version an answer or a change event is of: raised by every catalog write. */
  public static final String VERSION = "version";
  /** The oldest catalog version a request accepts an answer from. */
  public static final String MIN_VERSION = "min_version";
  /** {name, type, base_url, api_key?, …} → channel view (never the api key). */
  public static final String CHANNELS_PUT = "catalog.channels.put";
  /** {} → {data: [channel view]}. */
  public static final String CHANNELS_LIST = "catalog.channels.list";
  /** {alias, type, price, routes[], …} → model view. Fails 400 when a route names an unknown channel. */
  public static final String MODELS_PUT = "catalog.models.put";
  /** {} → {data: [model view]}, disabled ones included. */
  public static final String MODELS_LIST = "catalog.models.list";
  /**
   * {name} → {channel (with its api key: the router sends it upstream), enabled, model}: one channel for an
   * operator's test call, {@code model} the upstream model of the first llm model routed to it (by alias), or
   * null. Fails 404 {@code not_found@name} for an unknown channel.
   */
  public static final String CHANNELS_PROBE = "catalog.channels.probe";
  /** Local only: {} → {} when the service can reach its database. */
  public static final String HEALTH = "catalog.health";

  private CatalogBus() {
  }
}
