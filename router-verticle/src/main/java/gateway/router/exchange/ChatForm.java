package gateway.router.exchange;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;

/**
 * A call's form in the OpenAI chat shape, through which every route can be reached that does not
 * speak the client's own format — or why the call has none, so that only such routes can serve it.
 */
public sealed interface ChatForm {

  /**
   * The call as an OpenAI chat request: what holds count and translating routes send on.
   *
   * @param wantsUsage whether the client asked for the final usage of a stream
   */
  record Chat(JsonObject body, boolean wantsUsage) implements ChatForm {

    /**
     * A shallow copy naming the route's upstream model. Adapters may change its top-level fields;
     * nested values are shared with the original and stay untouched.
     */
    public JsonObject forUpstream(String upstreamModel) {
      return new JsonObject(new LinkedHashMap<>(body.getMap())).put("model", upstreamModel);
    }
  }

  /**
   * The call cannot be carried by the chat shape, for this reason.
   *
   * @param counted what prompt counts read instead (the part of the call a tokenizer can count)
   */
  record None(String reason, JsonObject counted) implements ChatForm {
  }
}
