package gateway.testsupport.fake;

import io.vertx.core.MultiMap;

/** What every OpenAI API shares: Bearer keys, and OpenAI's error bodies for refusals. */
interface OpenAiWire extends Wire {

  @Override
  default ErrorResponse checkApiKey(MultiMap headers, String query, String expectedKey) {
    return OpenAiErrors.checkBearer(headers, expectedKey);
  }

  @Override
  default ErrorResponse invalidJson() {
    return OpenAiErrors.invalidJson();
  }

  @Override
  default ErrorResponse error(int status, String message) {
    return OpenAiErrors.forStatus(status, message);
  }

  @Override
  default ErrorResponse streamRequired() {
    return OpenAiErrors.streamRequired();
  }
}
