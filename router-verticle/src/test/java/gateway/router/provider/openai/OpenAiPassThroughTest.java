package gateway.router.provider.openai;

import static gateway.router.provider.WireSamples.bytes;
import static gateway.router.provider.WireSamples.json;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.money.Usage;
import gateway.router.provider.Completion;
import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.WireSamples;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** OpenAI Embeddings relayed untranslated, on the API reference's example. */
class OpenAiPassThroughTest {
  private final OpenAiPassThrough passThrough = new OpenAiPassThrough();

  @Test
  @DisplayName("the documented answer comes back unchanged; its prompt_tokens are all input")
  void documentedAnswer() {
    Completion completion = passThrough.completion(bytes("openai-embeddings/embedding-create.json"));

    assertThat(completion.body()).isEqualTo(json("openai-embeddings/embedding-create.json"));
    assertThat(completion.usage()).isEqualTo(new Usage(8, 0, 0, 0, 0));
    assertThat(passThrough.outputText(completion.body())).isEmpty();
  }

  @Test
  @DisplayName("the client's body goes to {base_url}/embeddings as it came, with the channel's key")
  void requestAsItCame() {
    JsonObject body = new JsonObject().put("model", "text-embedding-3-small").put("input", "hello")
        .put("encoding_format", "base64").put("dimensions", 256);

    UpstreamRequest request = passThrough.request(body, WireSamples.route("openai", "https://api.openai.com/v1",
        "sk-x", new JsonObject(), "text-embedding-3-small"), false, Map.of());

    assertThat(request.url()).isEqualTo("https://api.openai.com/v1/embeddings");
    assertThat(request.headers().get("authorization")).isEqualTo("Bearer sk-x");
    assertThat(request.body().toJsonObject()).isEqualTo(body);
  }
}
