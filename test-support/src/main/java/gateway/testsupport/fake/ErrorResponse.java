package gateway.testsupport.fake;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** An HTTP error as a provider sends it: status, content type, body. */
record ErrorResponse(int status, String contentType, Buffer body) {

  static ErrorResponse json(int status, JsonObject body) {
    return new ErrorResponse(status, "application/json", body.toBuffer());
  }
}
