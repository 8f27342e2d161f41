package gateway.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.config.Env;
import gateway.testsupport.TestServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir
  Path dataDir;

  @Test
  @DisplayName("without an admin token one is generated on first start, kept in the data dir and reused after")
  void adminTokenIsGeneratedOnceAndKept() throws Exception {
    Env config = TestServices.env().with("GATEWAY_ADMIN_TOKEN", null).with("GATEWAY_DATA_DIR", dataDir.toString());
    String token;
    try (Gateway first = Gateway.start(config)) {
      assertThat(first.adminTokenCreated()).isTrue();
      token = first.adminToken();
      assertThat(Files.readString(dataDir.resolve(AdminTokenFile.FILE_NAME)).strip()).isEqualTo(token);
      assertThat(get(first, "/admin/models", token).statusCode()).isEqualTo(200);
      assertThat(get(first, "/admin/models", token + "x").statusCode()).isEqualTo(401);
    }
    try (Gateway second = Gateway.start(config)) {
      assertThat(second.adminTokenCreated()).isFalse();
      assertThat(second.adminToken()).isEqualTo(token);
    }
  }

  @Test
  @DisplayName("the catalog file is applied at start, its ${VAR}s filled, and shows in /v1/models")
  void catalogFileIsAppliedAtStart() throws Exception {
    Path catalog = dataDir.resolve("catalog.yaml");
    Files.writeString(catalog, """
        channels:
          - name: main
            type: openai
            base_url: https://api.openai.com/v1
            api_key: ${PATH}
        models:
          - alias: gpt-4o-mini
            context_length: 128000
            price: {input_per_mtok: 15, output_per_mtok: 60}
            routes: [{channel: main}]
        """);
    Env config = TestServices.env().with("GATEWAY_CATALOG", catalog.toString());
    try (Gateway gateway = Gateway.start(config)) {
      JsonArray models = new JsonObject(get(gateway, "/v1/models", null).body()).getJsonArray("data");
      assertThat(models).hasSize(1);
      assertThat(models.getJsonObject(0).getString("id")).isEqualTo("gpt-4o-mini");
      assertThat(get(gateway, "/health/ready", null).statusCode()).isEqualTo(200);
    }
    // applying the same file again changes nothing and does not fail
    try (Gateway again = Gateway.start(config)) {
      assertThat(new JsonObject(get(again, "/v1/models", null).body()).getJsonArray("data")).hasSize(1);
    }
  }

  private HttpResponse<String> get(Gateway gateway, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.config().process().httpPort() + path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
