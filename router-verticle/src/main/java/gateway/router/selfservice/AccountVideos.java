package gateway.router.selfservice;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Where the dashboard reads an account's video jobs from: the router's videos (which own their table). */
@FunctionalInterface
public interface AccountVideos {
  /**
   * Newest first after the job {@code after} (null: from the newest): {data: [video objects], has_more, last_id}.
   * {@code keyIds} null: every key's jobs.
   */
  Future<JsonObject> page(long accountId, Long[] keyIds, int limit, String after);

  /** No video side in this process: no jobs. */
  AccountVideos NONE = (accountId, keyIds, limit, after) -> Future.succeededFuture(new JsonObject()
      .put("object", "list").put("data", new io.vertx.core.json.JsonArray()).put("has_more", false));
}
