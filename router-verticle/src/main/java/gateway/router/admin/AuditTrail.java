package gateway.router.admin;

import gateway.common.GatewayException;
import gateway.common.bus.AuthBus;
import gateway.router.edge.AdminActor;
import gateway.router.edge.RequestIds;
import gateway.router.edge.TrustedProxies;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every authenticated admin API call to the audit log (auth's append-only table): who (the
 * admin token, or the operator), what (method, path, action name, target), the status, and for a
 * change the target's state before and after. The entry is written before the answer is sent, so a
 * caller that has its answer can find its entry. Secrets (keys, codes, link tokens) are never kept.
 */
public final class AuditTrail {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
  private static final String PENDING = "audit_entry";
  private static final Set<String> SECRET_FIELDS =
      Set.of("key", "codes", "token", "url", "api_key", "password", "password_hash", "invitation", "reset");
  private static final int MAX_STATE_CHARS = 64 * 1024;

  private final EventBus bus;
  private final TrustedProxies proxies;

  public AuditTrail(EventBus bus, TrustedProxies proxies) {
    this.bus = bus;
    this.proxies = proxies;
  }

  /** Every action name the log records calls under (besides {@code unknown}). */
  public static Set<String> actionNames() {
    return AuditActions.names();
  }

  /** Mounted after authentication: names the call and reads the target's state before it changes. */
  public void handle(RoutingContext ctx) {
    AdminActor actor = AdminActor.of(ctx);
    if (actor == null) {
      ctx.next();
      return;
    }
    String method = ctx.request().method().name();
    AuditActions.Matched matched = AuditActions.match(bus, method, ctx.request().path());
    JsonObject entry = actor.toJson()
        .put("method", method)
        .put("path", ctx.request().path())
        .put("action", matched.name())
        .put("target", matched.target())
        .put("request_id", RequestIds.of(ctx))
        .put("client_address", proxies.clientAddress(ctx.request()));
    ctx.put(PENDING, entry);
    boolean changes = ctx.request().method() != HttpMethod.GET && ctx.request().method() != HttpMethod.HEAD;
    if (!changes) {
      ctx.next();
      return;
    }
    // The body arrived already (the admin router's body handler ran first), so waiting here loses nothing.
    matched.before().onComplete(before -> {
      entry.put("before", state(before.result()));
      ctx.next();
    });
  }

  /** The failure handler: records the refused or failed call, then lets the error answer go out. */
  public void failed(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = failure instanceof HttpException http ? http.getStatusCode()
        : failure != null ? GatewayException.of(failure).error().status
        : ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    JsonObject after = failure == null ? null
        : new JsonObject().put("error", failure instanceof HttpException ? "http_" + status
            : GatewayException.of(failure).error().code);
    record(ctx, status, after).onComplete(done -> ctx.next());
  }

  /**
   * Completes the call's entry with its status and, for a change, the state after, and appends it;
   * completes (never fails) once the log has it or the failure to write it is logged.
   */
  public static Future<Void> record(RoutingContext ctx, int status, JsonObject after) {
    JsonObject entry = ctx.get(PENDING);
    if (entry == null) {
      return Future.succeededFuture();
    }
    ctx.remove(PENDING);
    entry.put("status", status);
    if (!"GET".equals(entry.getString("method")) || status >= 400) {
      entry.put("after", state(after));
    }
    return ctx.vertx().eventBus().<JsonObject>request(AuthBus.AUDIT_APPEND, entry).<Void>mapEmpty()
        .recover(failure -> {
          LOG.atError().addKeyValue("alert", "audit_entry_lost").setCause(failure)
              .log("audit entry for {} {} not written", entry.getString("method"), entry.getString("path"));
          return Future.succeededFuture();
        });
  }

  /** A copy without secrets; too large a state is kept as a note saying so. */
  static JsonObject state(JsonObject value) {
    if (value == null) {
      return null;
    }
    JsonObject clean = (JsonObject) redact(value.copy());
    return clean.encode().length() > MAX_STATE_CHARS ? new JsonObject().put("omitted", "too large to keep") : clean;
  }

  private static Object redact(Object value) {
    if (value instanceof JsonObject object) {
      for (String field : Set.copyOf(object.fieldNames())) {
        if (SECRET_FIELDS.contains(field)) {
          object.remove(field);
        } else {
          object.put(field, redact(object.getValue(field)));
        }
      }
      return object;
    }
    if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, redact(array.getValue(i)));
      }
    }
    return value;
  }
}
