package gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
          routes: [{channel: openai-main, model: "${FALLBACK_MODEL:-gpt-4o}"}]
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
