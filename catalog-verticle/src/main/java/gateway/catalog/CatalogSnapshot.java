package gateway.catalog;

import gateway.catalog.ModelDefinition.RouteDefinition;
import gateway.common.GatewayError;
import gateway.common.bus.Channel;
import gateway.common.bus.Principal;
import gateway.common.bus.ResolvedModel;
import gateway.common.bus.Route;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The whole catalog in memory, immutable, rebuilt after every change: {@code catalog.resolve}
 * and {@code catalog.models} never touch the database.
 *
 * @param created epoch seconds each model was first defined, for {@code /v1/models}
 * @param version the catalog version this state is (see {@code catalog.version}); -1 before the first load
 */
record CatalogSnapshot(Map<String, ChannelDefinition> channels, Map<String, ModelDefinition> models,
                       Map<String, Long> created, long version) {
  static final CatalogSnapshot EMPTY = new CatalogSnapshot(Map.of(), Map.of(), Map.of(), -1);

  CatalogSnapshot {
    channels = Map.copyOf(channels);
    models = Map.copyOf(models);
    created = Map.copyOf(created);
  }

  CatalogSnapshot(Map<String, ChannelDefinition> channels, Map<String, ModelDefinition> models,
                  Map<String, Long> created) {
    this(channels, models, created, 0);
  }

  /**
   * What {@code requested} means for a caller allowed {@code scope}: 404 when no alias
   * matches, 403 when the key may not call it, 400 when a pinned channel does not serve it.
   */
  ResolvedModel resolve(String requested, String pinnedChannel, List<String> scope) {
    if (requested == null || requested.isBlank()) {
      throw GatewayError.MISSING_FIELD.exception("'model' is required", "model");
    }
    ModelDefinition model = find(requested);
    if (model == null) {
      throw GatewayError.MODEL_NOT_FOUND.exception("The model '" + requested + "' does not exist.", "model");
    }
    if (scope != null && !scope.contains(Principal.ALL_MODELS) && !scope.contains(requested)
        && !scope.contains(model.alias())) {
      throw GatewayError.MODEL_NOT_ALLOWED.exception(
          "This API key may not call the model '" + requested + "'.", "model");
    }
    List<Route> routes = new ArrayList<>();
    boolean pinnedServes = pinnedChannel == null;
    for (RouteDefinition def : model.routes()) {
      if (pinnedChannel != null && !pinnedChannel.equals(def.channel())) {
        continue;
      }
      pinnedServes = true;
      ChannelDefinition channel = channels.get(def.channel());
      if (channel == null || !channel.enabled()) {
        continue;
      }
      routes.add(new Route(toChannel(channel),
          def.upstreamModel() == null ? requested : def.upstreamModel(),
          def.priority() == null ? channel.priority() : def.priority(),
          def.weight() == null ? channel.weight() : def.weight(), def.cost()));
    }
    if (!pinnedServes) {
      throw GatewayError.INVALID_VALUE.exception(
          "The channel '" + pinnedChannel + "' does not serve the model '" + requested + "'.", "channel");
    }
    routes.sort(Comparator.comparingInt(Route::priority));
    return new ResolvedModel(model.alias(), model.type(), model.contextLength(), model.maxOutputTokens(),
        model.price(), routes, model.mediaPrice(), model.options());
  }

  private ModelDefinition find(String requested) {
    ModelDefinition exact = models.get(requested);
    if (exact != null) {
      return exact.enabled() ? exact : null;
    }
    ModelDefinition best = null;
    for (ModelDefinition candidate : models.values()) {
      if (!candidate.enabled() || !AliasPattern.isWildcard(candidate.alias())
          || !AliasPattern.matches(candidate.alias(), requested)) {
        continue;
      }
      if (best == null || AliasPattern.specificity(candidate.alias()) > AliasPattern.specificity(best.alias())) {
        best = candidate;
      }
    }
    return best;
  }

  /** The {@code /v1/models} list: listed models only, limited to {@code scope} when given. */
  JsonObject publicModels(List<String> scope) {
    JsonArray data = new JsonArray();
    models.values().stream()
        .filter(m -> m.enabled() && m.listed() && !AliasPattern.isWildcard(m.alias()))
        .filter(m -> scope == null || scope.contains(Principal.ALL_MODELS) || scope.contains(m.alias()))
        .sorted(Comparator.comparing(ModelDefinition::alias))
        .forEach(m -> data.add(publicEntry(m)));
    return new JsonObject().put("object", "list").put("data", data);
  }

  private JsonObject publicEntry(ModelDefinition m) {
    JsonObject entry = new JsonObject()
        .put("id", m.alias())
        .put("object", "model")
        .put("created", created.getOrDefault(m.alias(), 0L))
        .put("owned_by", m.extra().getString("owned_by", "gateway"))
        .put("model_type", m.type())
        .put("context_length", m.contextLength())
        .put("pricing", MediaOptions.isMedia(m.type()) ? m.mediaPrice().toCreditsJson() : m.price().toCreditsJson());
    if (m.maxOutputTokens() != null) {
      entry.put("max_output_tokens", m.maxOutputTokens());
    }
    m.extra().forEach(e -> entry.put(e.getKey(), e.getValue()));
    return entry;
  }

  /** The admin view of every channel: no api key or other secret, only whether one is set. */
  JsonObject channelViews() {
    JsonArray data = new JsonArray();
    channels.values().stream().sorted(Comparator.comparing(ChannelDefinition::name))
        .forEach(c -> data.add(channelView(c)));
    return new JsonObject().put("data", data);
  }

  /** The admin view of one channel: see {@link ChannelView}. */
  static JsonObject channelView(ChannelDefinition c) {
    return ChannelView.of(c);
  }

  /** The admin view of every model, disabled and wildcard ones included. */
  JsonObject modelViews() {
    JsonArray data = new JsonArray();
    models.values().stream().sorted(Comparator.comparing(ModelDefinition::alias))
        .forEach(m -> data.add(modelView(m)));
    return new JsonObject().put("data", data);
  }

  static JsonObject modelView(ModelDefinition m) {
    JsonArray routes = new JsonArray();
    m.routes().forEach(r -> {
      JsonObject route = new JsonObject()
          .put("channel", r.channel())
          .put("model", r.upstreamModel())
          .put("priority", r.priority())
          .put("weight", r.weight());
      if (r.cost() != null) {
        route.put("cost", r.cost().toCreditsJson(MediaOptions.isMedia(m.type())));
      }
      routes.add(route);
    });
    return new JsonObject()
        .put("alias", m.alias())
        .put("type", m.type())
        .put("context_length", m.contextLength())
        .put("max_output_tokens", m.maxOutputTokens())
        .put("price", MediaOptions.isMedia(m.type()) ? m.mediaPrice().toCreditsJson() : m.price().toCreditsJson())
        .put("enabled", m.enabled())
        .put("listed", m.listed())
        .put("routes", routes)
        .mergeIn(m.extra());
  }

  /** One channel with its key for an operator's test call, and the upstream model to try (see CatalogBus.CHANNELS_PROBE). */
  JsonObject probe(String name) {
    ChannelDefinition channel = channels.get(name);
    if (channel == null) {
      throw GatewayError.NOT_FOUND.exception("The channel '" + name + "' does not exist.", "name");
    }
    String model = models.values().stream().filter(m -> "llm".equals(m.type()))
        .sorted(Comparator.comparing(ModelDefinition::alias))
        .flatMap(m -> m.routes().stream().filter(r -> name.equals(r.channel()))
            .map(r -> r.upstreamModel() != null ? r.upstreamModel()
                : AliasPattern.isWildcard(m.alias()) ? null : m.alias()))
        .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    return new JsonObject().put("channel", toChannel(channel).toJson()).put("enabled", channel.enabled())
        .put("model", model);
  }

  private static Channel toChannel(ChannelDefinition c) {
    return new Channel(c.name(), c.type(), c.baseUrl(), c.apiKey(), c.priority(), c.weight(), c.streamOnly(),
        c.wireApi(), c.settings());
  }
}
