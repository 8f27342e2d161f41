package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@DisplayName("Fake upstream: OpenAI Embeddings wire format")
class OpenAiEmbeddingsWireTest extends FakeUpstreamTestBase {

  private static final String MODEL = "text-embedding-3-small";
  private static final String PATH = "/v1/embeddings";

  private Future<Exchange> post(Object input, String encoding) {
    JsonObject body = new JsonObject().put("model", MODEL).put("input", input);
    return client.post(PATH, encoding == null ? body : body.put("encoding_format", encoding), null);
  }

  @Test
  @DisplayName("a string input gives one deterministic 8-dimension unit vector and usage")
  void stringInput(VertxTestContext ctx) {
    Future<Exchange> first = post("hello world, embed me", null);
    Future<Exchange> second = post("hello world, embed me", null);
    check(ctx, Future.all(first, second), all -> {
      JsonObject body = first.result().json();
      assertThat(body.getString("object")).isEqualTo("list");
      assertThat(body.getString("model")).isEqualTo(MODEL);
      JsonObject item = body.getJsonArray("data").getJsonObject(0);
      assertThat(item.getString("object")).isEqualTo("embedding");
      assertThat(item.getInteger("index")).isZero();
      JsonArray vector = item.getJsonArray("embedding");
      assertThat(vector).hasSize(8);
      double norm = 0;
      for (Object v : vector) {
        norm += ((Number) v).doubleValue() * ((Number) v).doubleValue();
      }
      assertThat(norm).isCloseTo(1.0, within(1e-5));
      assertThat(second.result().json().getJsonArray("data").getJsonObject(0).getJsonArray("embedding"))
          .isEqualTo(vector);
      assertThat(body.getJsonObject("usage").getLong("prompt_tokens")).isEqualTo(5);
      assertThat(body.getJsonObject("usage").getLong("total_tokens")).isEqualTo(5);
    });
  }

  @Test
  @DisplayName("an array input gives one indexed vector per string; base64 carries the same little-endian floats")
  void arrayInputAndBase64(VertxTestContext ctx) {
    JsonArray inputs = new JsonArray().add("first").add("second");
    Future<Exchange> floats = post(inputs, null);
    Future<Exchange> base64 = post(inputs, "base64");
    check(ctx, Future.all(floats, base64), all -> {
      JsonArray data = floats.result().json().getJsonArray("data");
      assertThat(data).hasSize(2);
      assertThat(data.getJsonObject(1).getInteger("index")).isEqualTo(1);
      assertThat(data.getJsonObject(0).getJsonArray("embedding"))
          .isNotEqualTo(data.getJsonObject(1).getJsonArray("embedding"));
      String encoded = base64.result().json().getJsonArray("data").getJsonObject(1).getString("embedding");
      ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
      JsonArray expected = data.getJsonObject(1).getJsonArray("embedding");
      assertThat(bytes.remaining()).isEqualTo(8 * Float.BYTES);
      for (int i = 0; i < 8; i++) {
        assertThat(bytes.getFloat()).isEqualTo(((Number) expected.getValue(i)).floatValue());
      }
    });
  }

  @Test
  @DisplayName("dimensions, scripted usage and errors are honoured; a missing input is a 400")
  void dimensionsUsageErrors(VertxTestContext ctx) {
    fake.script("broken", Behavior.error(500, "embedding backend down"));
    fake.script(MODEL, Behavior.reply("").usage(42, 0));
    Future<Exchange> sized = client.post(PATH, new JsonObject().put("model", MODEL).put("input", "x")
        .put("dimensions", 3), null);
    Future<Exchange> broken = client.post(PATH, new JsonObject().put("model", "broken").put("input", "x"), null);
    Future<Exchange> missing = client.post(PATH, new JsonObject().put("model", MODEL), null);
    check(ctx, Future.all(sized, broken, missing), all -> {
      JsonObject body = sized.result().json();
      assertThat(body.getJsonArray("data").getJsonObject(0).getJsonArray("embedding")).hasSize(3);
      assertThat(body.getJsonObject("usage").getLong("prompt_tokens")).isEqualTo(42);
      assertThat(broken.result().status()).isEqualTo(500);
      assertThat(broken.result().error().getString("type")).isEqualTo("server_error");
      assertThat(missing.result().status()).isEqualTo(400);
      assertThat(fake.requests()).extracting(RecordedRequest::protocol).containsOnly("openai-embeddings");
    });
  }
}
