package gateway.testsupport.fake;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** One provider protocol: how it authenticates, validates, fails, answers and streams. */
interface Wire {

  String protocol();

  /** The provider's answer to a missing or wrong API key, or null when {@code expectedKey} was presented. */
  ErrorResponse checkApiKey(MultiMap headers, String query, String expectedKey);

  /** The provider's answer to a body that is not a JSON object. */
  ErrorResponse invalidJson();

  /** The provider's 400 for a request it would refuse before generating anything, or null. */
  ErrorResponse validate(MultiMap headers, JsonObject body, boolean stream);

  /** {@link Behavior#error(int, String)} in this protocol's error body. */
  ErrorResponse error(int status, String message);

  /** A host's refusal of a non-stream request ({@link Behavior#streamOnly()}). */
  ErrorResponse streamRequired();

  /** Characters of prompt text in the request, for the default prompt token count. */
  long promptChars(JsonObject body);

  String contentType();

  Buffer body(Reply reply);

  StreamPlan stream(Reply reply);
}
