package gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import gateway.common.GatewayException;
import gateway.common.money.Price;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogFileTest {
  private static final String YAML = """
      channels:
        - name: openai-main
          type: openai            # openai | anthropic | gemini
          base_url: https://api.openai.com/v1
          api_key: ${OPENAI_API_KEY}
          priority: 0
          weight: 1
          stream_only: false
          wire_api: chat
          rpm: 600
          timeouts: {first_byte_ms: 30000}
      models:
        - alias: gpt-4o-mini
          type: llm
          context_length: 128000
          price: {input_per_mtok: 15, output_per_mtok: 60, cache_read_per_mtok: 7.5}
          routes: [{channel: openai-main, model: gpt-4o-mini}]
          available_sizes: [1024x1024]
        - alias: "*"
          price: {input_per_mtok: 25, output_per_mtok: 100}
          routes: [{channel: openai-main, model: "${FALLBACK_MODEL:-gpt-4o}"}]
        - alias: house-model
          free: true
          routes: [{channel: openai-main}]
      """;

  @TempDir
  Path dir;

  @Test
  @DisplayName("the design's catalog file parses, with ${VAR} and ${VAR:-fallback} filled from the environment")
  void parsesTheDesignExample() throws IOException {
    CatalogFile.Contents contents = CatalogFile.read(write(YAML), Map.of("OPENAI_API_KEY", "sk-from-env")::get);

    ChannelDefinition channel = contents.channels().get(0);
    assertThat(channel.apiKey()).isEqualTo("sk-from-env");
    assertThat(channel.settings().getInteger("rpm")).isEqualTo(600);
    assertThat(channel.settings().getJsonObject("timeouts").getInteger("first_byte_ms")).isEqualTo(30000);
    ModelDefinition model = contents.models().get(0);
    assertThat(model.price().cacheReadPerMtok()).isEqualTo(7_500_000);
    assertThat(model.extra().getJsonArray("available_sizes")).containsExactly("1024x1024");
    assertThat(contents.models().get(1).routes().get(0).upstreamModel()).isEqualTo("gpt-4o");
    assertThat(contents.models().get(2).price()).isEqualTo(Price.FREE);
  }

  @Test
  @DisplayName("a billable model without a price stops the start, naming 'price': only 'free: true' makes one free")
  void billableModelsNeedAPrice() throws IOException {
    String channel = "channels:\n  - {name: c, type: openai, base_url: 'https://h/v1'}\n";
    for (String model : List.of(
        "{alias: m, routes: [{channel: c}]}",
        "{alias: '*', routes: [{channel: c}]}",
        "{alias: m, price: {input_per_mtok: 3}, routes: [{channel: c}]}",
        "{alias: m, price: {output_per_mtok: 3}}",
        "{alias: e, type: embedding, price: {output_per_mtok: 1}}",
        "{alias: m, price: 15}",
        "{alias: m, free: true, price: {input_per_mtok: 1, output_per_mtok: 2}}")) {
      Path file = write(channel + "models:\n  - " + model + "\n");
      GatewayException refused = catchThrowableOfType(GatewayException.class,
          () -> CatalogFile.read(file, Map.<String, String>of()::get));
      assertThat(refused).as(model).isNotNull();
      assertThat(refused.param()).as(model).isEqualTo("price");
      assertThat(refused.getMessage()).as(model).contains("price");
    }
    Path ok = write(channel + "models:\n  - {alias: e, type: embedding, price: {input_per_mtok: 0.1}}\n"
        + "  - {alias: z, price: {input_per_mtok: 0, output_per_mtok: 0}}\n"
        + "  - {alias: img, type: text2image, price: {per_image: {\"1024x1024\": 4}}}\n");
    assertThat(CatalogFile.read(ok, Map.<String, String>of()::get).models()).hasSize(3);
  }

  @Test
  @DisplayName("a route's optional cost is read in the price's shape and reaches the resolved route; a bad one stops "
      + "the start naming 'cost'")
  void routeCosts() throws IOException {
    String channel = "channels:\n  - {name: c, type: openai, base_url: 'https://h/v1'}\n";
    Path ok = write(channel + "models:\n"
        + "  - {alias: m, price: {input_per_mtok: 3, output_per_mtok: 5},"
        + " routes: [{channel: c, cost: {input_per_mtok: 1, output_per_mtok: 2.5}}, {channel: c, model: other}]}\n"
        + "  - {alias: img, type: text2image, price: {per_image: {\"1024x1024\": 4}},"
        + " routes: [{channel: c, cost: {per_image: {\"1024x1024\": {hd: 3}}}}]}\n");
    CatalogFile.Contents contents = CatalogFile.read(ok, Map.<String, String>of()::get);
    ModelDefinition.RouteDefinition costed = contents.models().get(0).routes().get(0);
    assertThat(costed.cost().tokens()).isEqualTo(new Price(1_000_000, 2_500_000, 1_000_000, 1_000_000));
    assertThat(contents.models().get(0).routes().get(1).cost()).isNull();
    assertThat(contents.models().get(1).routes().get(0).cost().media().imageMicros("1024x1024", "hd"))
        .isEqualTo(3_000_000);
    CatalogSnapshot catalog = new CatalogSnapshot(Map.of("c", contents.channels().get(0)),
        Map.of("m", contents.models().get(0)), Map.of());
    assertThat(catalog.resolve("m", null, List.of("*")).routes()).extracting(r -> r.cost() == null ? null
        : r.cost().tokens().outputPerMtok()).containsExactly(2_500_000L, null);
    assertThat(CatalogSnapshot.modelView(contents.models().get(0)).getJsonArray("routes").getJsonObject(0)
        .getJsonObject("cost").getValue("output_per_mtok").toString()).isEqualTo("2.5");

    for (String model : List.of(
        "{alias: m, price: {input_per_mtok: 3, output_per_mtok: 5}, routes: [{channel: c, cost: 1}]}",
        "{alias: m, price: {input_per_mtok: 3, output_per_mtok: 5}, routes: [{channel: c, cost: {input_per_mtok: 1}}]}",
        "{alias: m, price: {input_per_mtok: 3, output_per_mtok: 5},"
            + " routes: [{channel: c, cost: {input_per_mtok: -1, output_per_mtok: 1}}]}",
        "{alias: m, price: {input_per_mtok: 3, output_per_mtok: 5},"
            + " routes: [{channel: c, cost: {input_per_mtok: x, output_per_mtok: 1}}]}",
        "{alias: img, type: text2image, price: {per_image: {\"1024x1024\": 4}}, routes: [{channel: c, cost: {}}]}",
        "{alias: v, type: text2video, price: {per_second: {\"720P\": 4}},"
            + " routes: [{channel: c, cost: {per_second: {\"720P\": -2}}}]}")) {
      Path file = write(channel + "models:\n  - " + model + "\n");
      GatewayException refused = catchThrowableOfType(GatewayException.class,
          () -> CatalogFile.read(file, Map.<String, String>of()::get));
      assertThat(refused).as(model).isNotNull();
      assertThat(refused.param()).as(model).isEqualTo("cost");
      assertThat(refused.getMessage()).as(model).contains("'cost").contains("route to 'c'");
    }
  }

  @Test
  @DisplayName("a variable the file needs but the environment lacks stops the start, naming it")
  void missingVariableIsNamed() throws IOException {
    Path file = write(YAML);
    assertThatThrownBy(() -> CatalogFile.read(file, Map.<String, String>of()::get))
        .hasMessageContaining("OPENAI_API_KEY");
  }

  @Test
  @DisplayName("a malformed entry is refused with the field at fault")
  void malformedEntries() throws IOException {
    Path file = write("channels:\n  - name: x\n    type: openai\n    base_url: ftp://nope\n");
    assertThatThrownBy(() -> CatalogFile.read(file, Map.<String, String>of()::get)).hasMessageContaining("base_url");
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("catalog.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
