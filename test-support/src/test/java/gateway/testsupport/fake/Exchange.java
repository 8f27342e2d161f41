package gateway.testsupport.fake;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What a client got for one request: status, headers, every body byte received, how many network reads brought
 * them, and the failure if the connection closed before the response ended.
 */
record Exchange(int status, MultiMap headers, String body, int reads, Throwable failure, long firstReadNanos,
                long lastReadNanos) {

  JsonObject json() {
    return new JsonObject(body);
  }

  JsonObject error() {
    return json().getJsonObject("error");
  }

  List<SseEvent> events() {
    return SseEvent.parse(body);
  }

  boolean endedCleanly() {
    return failure == null;
  }
}
