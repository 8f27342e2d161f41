package gateway.router.selfservice;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

/**
 * The account's video jobs for the dashboard's media page, in the scope usage has ({@link UsageScope}): an owner
 * sees every key's, a member the jobs of their own keys.
 */
final class VideoRoutes {
  private static final int DEFAULT_PAGE = 20;

  private final UsageScope scope;
  private final AccountVideos videos;

  VideoRoutes(EventBus bus, AccountVideos videos) {
    this.scope = new UsageScope(bus);
    this.videos = videos;
  }

  void list(RoutingContext ctx) {
    Long limit = Inputs.queryLong(ctx, "limit");
    String after = Inputs.queryString(ctx, "after");
    Replies.reply(ctx, scope.query(ctx).compose(query -> videos.page(query.getLong("account_id"),
        keyIds(query.getJsonArray("key_ids")), limit == null ? DEFAULT_PAGE : limit.intValue(), after)));
  }

  private static Long[] keyIds(JsonArray ids) {
    if (ids == null) {
      return null;
    }
    Long[] keys = new Long[ids.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = ids.getLong(i);
    }
    return keys;
  }
}
