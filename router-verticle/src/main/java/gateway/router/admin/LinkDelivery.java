package gateway.router.admin;

import gateway.router.selfservice.SelfServiceConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-time links for invitations and password resets. No mail server is assumed: the admin API
 * shows the link once, and when {@code GATEWAY_LINK_WEBHOOK_URL} is set the link is also POSTed there
 * as JSON ({kind, user_id, email, display_name, url, expires_at}) for a mailer or chat bot to pass on.
 * Links point at the console's pages and carry the token after {@code #}, so it never reaches a
 * server log or a Referer header.
 */
public final class LinkDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(LinkDelivery.class);
  private static final long WEBHOOK_TIMEOUT_MS = 10_000;

  private final SelfServiceConfig config;
  private final HttpClient http;

  public LinkDelivery(Vertx vertx, SelfServiceConfig config) {
    this.config = config;
    this.http = config.linkWebhookUrl() == null ? null : vertx.createHttpClient();
  }

  /** {@code <public url>/console/invitation#token=…} or {@code …/console/reset-password#token=…}. */
  String url(String purpose, String token) {
    String base = config.publicUrl() == null ? "" : config.publicUrl().replaceAll("/+$", "");
    String page = purpose.equals("invitation") ? "invitation" : "reset-password";
    return base + "/console/" + page + "#token=" + token;
  }

  /** Completes with whether the webhook took the link (false when none is configured or it failed). */
  Future<Boolean> deliver(String kind, JsonObject user, String url, String expiresAt) {
    if (http == null) {
      return Future.succeededFuture(false);
    }
    JsonObject body = new JsonObject()
        .put("kind", kind)
        .put("user_id", user.getLong("id"))
        .put("email", user.getString("email"))
        .put("display_name", user.getString("display_name"))
        .put("url", url)
        .put("expires_at", expiresAt);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(config.linkWebhookUrl())
        .setTimeout(WEBHOOK_TIMEOUT_MS).putHeader("content-type", "application/json");
    return http.request(options)
        .compose(request -> request.send(body.toBuffer()))
        .map(response -> {
          if (response.statusCode() / 100 != 2) {
            LOG.warn("link webhook answered {} for the {} of user {}", response.statusCode(), kind, user.getLong("id"));
            return false;
          }
          return true;
        })
        .recover(failure -> {
          LOG.warn("link webhook unreachable for the {} of user {}: {}", kind, user.getLong("id"), failure.toString());
          return Future.succeededFuture(false);
        });
  }
}
