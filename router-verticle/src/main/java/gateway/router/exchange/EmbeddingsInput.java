package gateway.router.exchange;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code input} of an OpenAI embeddings request: a string, an array of strings, an array of
 * token ids, or an array of token-id arrays. Each item is a String or a JsonArray of token ids.
 */
public final class EmbeddingsInput {
  private EmbeddingsInput() {
  }

  /** The items, empty when there is no {@code input} or it is none of the accepted shapes. */
  public static List<Object> items(JsonObject body) {
    Object input = body.getValue("input");
    List<Object> items = new ArrayList<>();
    if (input instanceof String text) {
      items.add(text);
    } else if (input instanceof JsonArray array && !array.isEmpty()) {
      if (array.getValue(0) instanceof Number) {
        items.add(array);
        return array.stream().allMatch(Number.class::isInstance) ? items : List.of();
      }
      for (Object item : array) {
        if (!(item instanceof String) && !(item instanceof JsonArray ids && ids.stream().allMatch(Number.class::isInstance))) {
          return List.of();
        }
        items.add(item);
      }
    }
    return items;
  }
}
