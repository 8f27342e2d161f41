package gateway.router.exchange;

import io.vertx.core.json.JsonObject;

/** Whole answers from a route speaking the client's own format, passed on as the provider sent them. */
public interface NativeAnswers extends ClientProtocol {

  /** The answer with the alias as its model and the cost in its usage. */
  JsonObject nativeAnswer(JsonObject answer, Priced priced);
}
