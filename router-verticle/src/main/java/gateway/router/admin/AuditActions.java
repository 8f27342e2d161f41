package gateway.router.admin;

import gateway.common.bus.AuthBus;
import gateway.common.bus.BalanceView;
import gateway.common.bus.BillingBus;
import gateway.common.bus.CatalogBus;
import gateway.common.money.Credits;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every admin API call by name (e.g. {@code keys.update}), the thing it acts on ({@code key:7}), and how
 * to read that thing's state before a change, where it has one. A call no entry names is still
 * recorded, as {@code unknown}.
 */
final class AuditActions {
  /** One kind of call: method, path pattern, name, the target's kind, and how to read its state (or null). */
  record Action(String method, Pattern path, String name, String targetKind,
                BiFunction<EventBus, String, Future<JsonObject>> before) {
  }

  /** A call matched to its action: the name, the target and how to read it. */
  record Matched(String name, String target, Future<JsonObject> before) {
  }

  private static final List<Action> ACTIONS = List.of(
      action("POST", "/admin/accounts", "accounts.create", null, null),
      action("GET", "/admin/channel-breakers", "channels.breakers", null, null),
      action("GET", "/admin/accounts", "accounts.search", null, null),
      action("GET", "/admin/accounts/([^/]+)", "accounts.get", "account", null),
      action("PATCH", "/admin/accounts/([^/]+)", "accounts.update", "account", by(AuthBus.ACCOUNTS_GET, "id")),
      action("POST", "/admin/accounts/([^/]+)/credits", "accounts.credit", "account",
          (bus, id) -> byId(bus, BillingBus.BALANCE, "account_id", id).map(AuditActions::inCredits)),
      action("POST", "/admin/accounts/([^/]+)/keys", "keys.create", "account", null),
      action("GET", "/admin/accounts/([^/]+)/keys", "keys.list", "account", null),
      action("PATCH", "/admin/keys/([^/]+)", "keys.update", "key", by(AuthBus.KEYS_GET, "id")),
      action("POST", "/admin/keys/([^/]+)/regenerate", "keys.regenerate", "key", by(AuthBus.KEYS_GET, "id")),
      action("PUT", "/admin/channels/([^/]+)", "channels.put", "channel", listed(CatalogBus.CHANNELS_LIST, "name")),
      action("GET", "/admin/channels", "channels.list", null, null),
      action("POST", "/admin/channels/([^/]+)/test", "channels.test", "channel", null),
      action("GET", "/admin/reports/channels", "reports.channels", null, null),
      action("GET", "/admin/reports/revenue", "reports.revenue", null, null),
      action("PUT", "/admin/models/(.+)", "models.put", "model", listed(CatalogBus.MODELS_LIST, "alias")),
      action("GET", "/admin/models", "models.list", null, null),
      action("GET", "/admin/models/(.+)", "models.get", "model", null),
      action("POST", "/admin/accounts/([^/]+)/vouchers", "vouchers.grant", "account", null),
      action("GET", "/admin/accounts/([^/]+)/vouchers", "vouchers.list", "account", null),
      action("POST", "/admin/vouchers/([^/]+)/revoke", "vouchers.revoke", "voucher",
          by(BillingBus.VOUCHERS_GET, "voucher_id")),
      action("POST", "/admin/code-batches", "code_batches.create", null, null),
      action("GET", "/admin/code-batches", "code_batches.list", null, null),
      action("GET", "/admin/code-batches/([^/]+)", "code_batches.get", "code_batch", null),
      action("POST", "/admin/code-batches/([^/]+)/disable", "code_batches.disable", "code_batch",
          (bus, id) -> byId(bus, BillingBus.CODES_BATCH, "batch_id", id).map(batch -> {
            batch.remove("redemptions");
            return batch;
          })),
      action("GET", "/admin/usage", "usage.list", null, null),
      action("GET", "/admin/usage/summary", "usage.summary", null, null),
      action("POST", "/admin/users", "users.invite", null, null),
      action("GET", "/admin/users", "users.list", null, null),
      action("GET", "/admin/users/([^/]+)", "users.get", "user", null),
      action("PATCH", "/admin/users/([^/]+)", "users.update", "user", by(AuthBus.USERS_GET, "id")),
      action("POST", "/admin/users/([^/]+)/invitation", "users.reinvite", "user", null),
      action("POST", "/admin/users/([^/]+)/reset", "users.reset", "user", null),
      action("POST", "/admin/users/([^/]+)/end-sessions", "users.end_sessions", "user", by(AuthBus.USERS_GET, "id")),
      action("GET", "/admin/audit", "audit.list", null, null));

  private AuditActions() {
  }

  /** The name of every call the log knows. */
  static Set<String> names() {
    Set<String> names = new TreeSet<>();
    ACTIONS.forEach(action -> names.add(action.name()));
    return names;
  }

  static Matched match(EventBus bus, String method, String path) {
    for (Action action : ACTIONS) {
      Matcher matcher = action.path().matcher(path);
      if (action.method().equals(method) && matcher.matches()) {
        String subject = matcher.groupCount() == 0 ? null : URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
        String target = action.targetKind() == null ? null : action.targetKind() + ":" + subject;
        Future<JsonObject> before = action.before() == null ? Future.succeededFuture(null)
            : action.before().apply(bus, subject).recover(failure -> Future.succeededFuture(null));
        return new Matched(action.name(), target, before);
      }
    }
    return new Matched("unknown", null, Future.succeededFuture(null));
  }

  private static Action action(String method, String path, String name, String targetKind,
                               BiFunction<EventBus, String, Future<JsonObject>> before) {
    return new Action(method, Pattern.compile(path), name, targetKind, before);
  }

  /** The state of a thing with a numeric id, read from the service that owns it. */
  private static BiFunction<EventBus, String, Future<JsonObject>> by(String address, String field) {
    return (bus, id) -> byId(bus, address, field, id);
  }

  /** A balance as the admin API shows it, in credits (billing answers in micro-credits). */
  private static JsonObject inCredits(JsonObject balance) {
    if (balance == null) {
      return null;
    }
    BalanceView view = BalanceView.fromJson(balance);
    return new JsonObject().put("account_id", view.accountId())
        .put("balance_credits", Credits.fromMicros(view.balanceMicros()))
        .put("held_credits", Credits.fromMicros(view.heldMicros()))
        .put("available_credits", Credits.fromMicros(view.availableMicros()));
  }

  private static Future<JsonObject> byId(EventBus bus, String address, String field, String id) {
    long numeric;
    try {
      numeric = Long.parseLong(id);
    } catch (NumberFormatException e) {
      return Future.succeededFuture(null);
    }
    return bus.<JsonObject>request(address, new JsonObject().put(field, numeric)).map(reply -> reply.body());
  }

  /** The state of a named thing, found in its service's list (channels, models: no get by name). */
  private static BiFunction<EventBus, String, Future<JsonObject>> listed(String address, String field) {
    return (bus, name) -> bus.<JsonObject>request(address, new JsonObject()).map(reply -> {
      for (Object entry : reply.body().getJsonArray("data", new JsonArray())) {
        if (entry instanceof JsonObject item && name.equals(item.getString(field))) {
          return item;
        }
      }
      return null;
    });
  }
}
