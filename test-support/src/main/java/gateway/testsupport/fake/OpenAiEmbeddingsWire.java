package gateway.testsupport.fake;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * OpenAI Embeddings ({@code POST /v1/embeddings}): one deterministic unit vector per input (8 dimensions unless the
 * request sets {@code dimensions}), the same input always giving the same vector. Input may be a string, an array
 * of strings, or token arrays; {@code encoding_format: "base64"} gives little-endian float32 as base64, like
 * OpenAI (and its SDKs, which ask for base64 by default). Never streams.
 */
final class OpenAiEmbeddingsWire implements OpenAiWire {

  static final String PROTOCOL = "openai-embeddings";
  private static final int DEFAULT_DIMENSIONS = 8;
  private static final int MAX_DIMENSIONS = 4096;

  @Override
  public String protocol() {
    return PROTOCOL;
  }



  @Override
  public ErrorResponse validate(MultiMap headers, JsonObject body, boolean stream) {
    if (JsonFields.string(body, "model") == null) {
      return OpenAiErrors.missingParameter("model");
    }
    if (inputs(body).isEmpty()) {
      return OpenAiErrors.of(400, "'$.input' is invalid. Please check the API reference:"
          + " https://platform.openai.com/docs/api-reference.", "invalid_request_error", null, null);
    }
    return null;
  }



  /** Token arrays count 4 "characters" per token, so the default estimate gives one token per token. */
  @Override
  public long promptChars(JsonObject body) {
    long chars = 0;
    for (Object input : inputs(body)) {
      chars += input instanceof String s ? s.length() : 4L * ((JsonArray) input).size();
    }
    return chars;
  }

  @Override
  public String contentType() {
    return "application/json";
  }

  @Override
  public Buffer body(Reply reply) {
    int dimensions = dimensions(reply.request);
    boolean base64 = "base64".equals(JsonFields.string(reply.request, "encoding_format"));
    JsonArray data = new JsonArray();
    List<Object> inputs = inputs(reply.request);
    for (int i = 0; i < inputs.size(); i++) {
      float[] vector = vector(inputs.get(i).toString(), dimensions);
      data.add(new JsonObject()
          .put("object", "embedding")
          .put("index", i)
          .put("embedding", base64 ? encode(vector) : toJson(vector)));
    }
    JsonObject body = new JsonObject().put("object", "list").put("data", data).put("model", reply.model);
    if (reply.usage) {
      body.put("usage", new JsonObject().put("prompt_tokens", reply.promptTokens).put("total_tokens", reply.promptTokens));
    }
    return body.toBuffer();
  }

  @Override
  public StreamPlan stream(Reply reply) {
    throw new UnsupportedOperationException("embeddings never stream");
  }

  /** Each input as a String or a JsonArray of token ids; empty when the input is missing or malformed. */
  static List<Object> inputs(JsonObject body) {
    Object input = body.getValue("input");
    List<Object> inputs = new ArrayList<>();
    if (input instanceof String s && !s.isEmpty()) {
      inputs.add(s);
    } else if (input instanceof JsonArray array && !array.isEmpty()) {
      if (array.getValue(0) instanceof Number) {
        inputs.add(array);
      } else {
        for (Object item : array) {
          if (!(item instanceof String) && !(item instanceof JsonArray)) {
            return List.of();
          }
          inputs.add(item);
        }
      }
    }
    return inputs;
  }

  private static int dimensions(JsonObject request) {
    return request.getValue("dimensions") instanceof Number n
        ? Math.max(1, Math.min(MAX_DIMENSIONS, n.intValue()))
        : DEFAULT_DIMENSIONS;
  }

  static float[] vector(String input, int dimensions) {
    SplittableRandom random = new SplittableRandom(input.hashCode() * 31L + dimensions);
    float[] vector = new float[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) (random.nextDouble() * 2 - 1);
      norm += vector[i] * vector[i];
    }
    double scale = norm == 0 ? 1 : 1 / Math.sqrt(norm);
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) (vector[i] * scale);
    }
    return vector;
  }

  private static JsonArray toJson(float[] vector) {
    JsonArray array = new JsonArray(new ArrayList<>(vector.length));
    for (float v : vector) {
      array.add(v);
    }
    return array;
  }

  private static String encode(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : vector) {
      bytes.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
