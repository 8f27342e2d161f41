package gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.ResolvedModel;
import gateway.common.bus.Route;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CatalogSnapshotTest {
  private static final List<String> ALL = List.of("*");

  private final CatalogSnapshot catalog = new CatalogSnapshot(
      Map.of(
          "openai", channel("openai", 0, 3, true),
          "backup", channel("backup", 1, 1, true),
          "anthropic", channel("anthropic", 0, 1, true),
          "off", channel("off", 0, 1, false)),
      Map.of(
          "gpt-4o-mini", model("gpt-4o-mini", new JsonArray()
              .add(route("backup", "gpt-4o-mini"))
              .add(route("openai", "gpt-4o-mini-2024-07-18"))
              .add(route("off", "gpt-4o-mini"))),
          "claude-*", model("claude-*", new JsonArray().add(new JsonObject().put("channel", "anthropic"))),
          "*", model("*", new JsonArray().add(route("anthropic", "claude-sonnet-4-6")))),
      Map.of());

  @Test
  @DisplayName("an exact alias resolves to its enabled routes, lowest priority first, with the upstream model name")
  void exactAlias() {
    ResolvedModel resolved = catalog.resolve("gpt-4o-mini", null, ALL);
    assertThat(resolved.routes()).extracting(r -> r.channel().name()).containsExactly("openai", "backup");
    assertThat(resolved.routes().get(0).upstreamModel()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(resolved.routes().get(0).weight()).isEqualTo(3);
  }

  @Test
  @DisplayName("wildcards: the most specific pattern wins, and a route without a model passes the asked name on")
  void wildcards() {
    Route claude = catalog.resolve("claude-opus-4-6", null, ALL).routes().get(0);
    assertThat(claude.upstreamModel()).isEqualTo("claude-opus-4-6");
    Route anything = catalog.resolve("deepseek-chat", null, ALL).routes().get(0);
    assertThat(anything.upstreamModel()).isEqualTo("claude-sonnet-4-6");
  }

  @Test
  @DisplayName("a model outside the key's scope is 403; a scope naming the requested name or its alias allows it")
  void scope() {
    GatewayException e = catchThrowableOfType(GatewayException.class,
        () -> catalog.resolve("gpt-4o-mini", null, List.of("claude-opus-4-6")));
    assertThat(e.error()).isEqualTo(GatewayError.MODEL_NOT_ALLOWED);
    assertThat(catalog.resolve("claude-opus-4-6", null, List.of("claude-opus-4-6")).routes()).hasSize(1);
    assertThat(catalog.resolve("claude-opus-4-6", null, List.of("claude-*")).routes()).hasSize(1);
  }

  @Test
  @DisplayName("an unknown model is 404 when no wildcard catches it")
  void unknownModel() {
    CatalogSnapshot strict = new CatalogSnapshot(catalog.channels(),
        Map.of("gpt-4o-mini", catalog.models().get("gpt-4o-mini")), Map.of());
    GatewayException e = catchThrowableOfType(GatewayException.class, () -> strict.resolve("gpt-5", null, ALL));
    assertThat(e.error()).isEqualTo(GatewayError.MODEL_NOT_FOUND);
  }

  @Test
  @DisplayName("?channel= pins one channel of the model; a channel that does not serve it is a 400 on 'channel'")
  void pinnedChannel() {
    assertThat(catalog.resolve("gpt-4o-mini", "backup", ALL).routes()).extracting(r -> r.channel().name())
        .containsExactly("backup");
    GatewayException e = catchThrowableOfType(GatewayException.class,
        () -> catalog.resolve("gpt-4o-mini", "anthropic", ALL));
    assertThat(e.error()).isEqualTo(GatewayError.INVALID_VALUE);
    assertThat(e.param()).isEqualTo("channel");
    assertThat(catalog.resolve("gpt-4o-mini", "off", ALL).routes()).isEmpty();
  }

  @Test
  @DisplayName("the public list hides wildcard aliases and follows the scope")
  void publicList() {
    assertThat(catalog.publicModels(null).getJsonArray("data")).extracting(m -> ((JsonObject) m).getString("id"))
        .containsExactly("gpt-4o-mini");
    assertThat(catalog.publicModels(List.of("other")).getJsonArray("data")).isEmpty();
  }

  @Test
  @DisplayName("alias patterns match like globs, without regular expressions")
  void aliasPatterns() {
    assertThat(AliasPattern.matches("*", "anything")).isTrue();
    assertThat(AliasPattern.matches("claude-*", "claude-3")).isTrue();
    assertThat(AliasPattern.matches("claude-*", "gpt")).isFalse();
    assertThat(AliasPattern.matches("*-mini", "gpt-4o-mini")).isTrue();
    assertThat(AliasPattern.matches("a*b*c", "a-b-c")).isTrue();
    assertThat(AliasPattern.matches("a*b*c", "a-c-b")).isFalse();
    assertThat(AliasPattern.matches("ab*ba", "aba")).isFalse();
    assertThat(AliasPattern.specificity("claude-*")).isGreaterThan(AliasPattern.specificity("*"));
  }

  @Test
  @DisplayName("a channel probe (the operator's test call) carries the channel with its key, whether it is enabled, "
      + "and the upstream model of the first llm model routed to it by alias; an unknown channel is a 404 on 'name'")
  void probe() {
    JsonObject openai = catalog.probe("openai");
    assertThat(openai.getString("model")).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(openai.getJsonObject("channel").getString("api_key")).isEqualTo("k-openai");
    assertThat(openai.getBoolean("enabled")).isTrue();
    assertThat(catalog.probe("anthropic").getString("model")).isEqualTo("claude-sonnet-4-6");
    JsonObject off = catalog.probe("off");
    assertThat(off.getBoolean("enabled")).isFalse();
    assertThat(off.getString("model")).isEqualTo("gpt-4o-mini");
    CatalogSnapshot unrouted = new CatalogSnapshot(catalog.channels(), Map.of(), Map.of());
    assertThat(unrouted.probe("openai").getValue("model")).isNull();
    GatewayException e = catchThrowableOfType(GatewayException.class, () -> catalog.probe("ghost"));
    assertThat(e.error()).isEqualTo(GatewayError.NOT_FOUND);
    assertThat(e.param()).isEqualTo("name");
  }

  private static ChannelDefinition channel(String name, int priority, int weight, boolean enabled) {
    return ChannelDefinition.parse(name, new JsonObject().put("type", "openai")
        .put("base_url", "https://" + name + ".example.com/v1").put("api_key", "k-" + name)
        .put("priority", priority).put("weight", weight).put("enabled", enabled));
  }

  private static ModelDefinition model(String alias, JsonArray routes) {
    return ModelDefinition.parse(alias, new JsonObject().put("routes", routes)
        .put("price", new JsonObject().put("input_per_mtok", 1).put("output_per_mtok", 2)));
  }

  private static JsonObject route(String channel, String model) {
    return new JsonObject().put("channel", channel).put("model", model);
  }
}
