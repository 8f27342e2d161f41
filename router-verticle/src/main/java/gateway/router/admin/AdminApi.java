package gateway.router.admin;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.AuthBus;
import gateway.common.bus.BalanceView;
import gateway.common.bus.BillingBus;
import gateway.common.bus.CatalogBus;
import gateway.common.bus.TopUpReply;
import gateway.common.money.Credits;
import gateway.router.fields.JsonFields;
import gateway.router.edge.TrustedProxies;
import gateway.router.selfservice.Sessions;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin API: every call is a message to the service that owns the data. Accounts
 * and keys live in auth, balances and usage in billing, channels and models in catalog.
 */
public final class AdminApi {
  /** The largest single top-up, 10^12 credits: far above any real one, far below what a balance can hold. */
  static final long MAX_TOP_UP_MICROS = 1_000_000_000_000L * Credits.MICROS_PER_CREDIT;

  private final EventBus bus;
  private final AuditTrail audit;
  private final java.util.function.Function<String, String> breakerState;
  private final ChannelTests channelTests;

  public AdminApi(EventBus bus) {
    this(bus, channel -> null);
  }

  /** @param breakerState this router's breaker state of a channel by name (CLOSED, OPEN, HALF_OPEN), shown in the list */
  public AdminApi(EventBus bus, java.util.function.Function<String, String> breakerState) {
    this(bus, breakerState, null);
  }

  /** @param channelTests the channel test calls ({@code POST /channels/{name}/test}), or null for none */
  public AdminApi(EventBus bus, java.util.function.Function<String, String> breakerState, ChannelTests channelTests) {
    this(bus, breakerState, channelTests, TrustedProxies.NONE);
  }

  /** @param proxies whose forwarded client address the audit log records */
  public AdminApi(EventBus bus, java.util.function.Function<String, String> breakerState, ChannelTests channelTests,
                  TrustedProxies proxies) {
    this.bus = bus;
    this.audit = new AuditTrail(bus, proxies);
    this.breakerState = breakerState;
    this.channelTests = channelTests;
  }

  /** Mounts the routes on a router that already authenticated the admin; every call goes to the audit log. */
  public void mount(Router admin) {
    admin.route().handler(audit::handle);
    admin.route().failureHandler(audit::failed);
    admin.post("/accounts").handler(this::createAccount);
    admin.get("/accounts").handler(this::searchAccounts);
    admin.get("/accounts/:id").handler(this::getAccount);
    admin.patch("/accounts/:id").handler(ctx -> reply(ctx,
        call(AuthBus.ACCOUNTS_UPDATE, body(ctx).put("id", id(ctx, "id")))));
    admin.post("/accounts/:id/credits").handler(this::addCredits);
    admin.post("/accounts/:id/keys").handler(ctx -> reply(ctx, 201,
        call(AuthBus.KEYS_CREATE, body(ctx).put("account_id", id(ctx, "id")))));
    admin.get("/accounts/:id/keys").handler(ctx -> reply(ctx,
        call(AuthBus.KEYS_LIST, new JsonObject().put("account_id", id(ctx, "id")))));
    admin.patch("/keys/:id").handler(ctx -> reply(ctx, call(AuthBus.KEYS_UPDATE, body(ctx).put("id", id(ctx, "id")))));
    admin.post("/keys/:id/regenerate").handler(ctx -> reply(ctx,
        call(AuthBus.KEYS_REGENERATE, new JsonObject().put("id", id(ctx, "id")))));
    admin.put("/channels/:name").handler(ctx -> reply(ctx,
        call(CatalogBus.CHANNELS_PUT, body(ctx).put("name", name(ctx, "name")))));
    admin.get("/channels").handler(ctx -> reply(ctx, call(CatalogBus.CHANNELS_LIST, new JsonObject())));
    if (channelTests != null) {
      channelTests.mount(admin);
    }
    new Reports(bus).mount(admin);
    admin.get("/channel-breakers").handler(ctx -> reply(ctx, call(CatalogBus.CHANNELS_LIST, new JsonObject())
        .map(this::breakers)));
    admin.put("/models/:alias").handler(ctx -> reply(ctx,
        call(CatalogBus.MODELS_PUT, body(ctx).put("alias", name(ctx, "alias")))));
    admin.get("/models").handler(ctx -> reply(ctx, call(CatalogBus.MODELS_LIST, new JsonObject())));
    // One model as the list shows it (the exact alias, wildcards included): what a PUT stored.
    admin.get("/models/:alias").handler(ctx -> reply(ctx, call(CatalogBus.MODELS_LIST, new JsonObject())
        .map(list -> list.getJsonArray("data").stream().map(JsonObject.class::cast)
            .filter(m -> name(ctx, "alias").equals(m.getString("alias"))).findFirst()
            .orElseThrow(() -> GatewayError.MODEL_NOT_FOUND.exception("There is no model '" + name(ctx, "alias") + "'.",
                "alias")))));
    admin.post("/accounts/:id/vouchers").handler(this::grantVoucher);
    admin.get("/accounts/:id/vouchers").handler(ctx -> reply(ctx,
        call(BillingBus.VOUCHERS_LIST, new JsonObject().put("account_id", id(ctx, "id")))));
    admin.post("/vouchers/:id/revoke").handler(ctx -> reply(ctx,
        call(BillingBus.VOUCHERS_REVOKE, new JsonObject().put("voucher_id", id(ctx, "id")))));
    admin.post("/code-batches").handler(this::createCodeBatch);
    admin.get("/code-batches").handler(ctx -> reply(ctx, call(BillingBus.CODES_BATCHES, new JsonObject())));
    admin.get("/code-batches/:id").handler(ctx -> reply(ctx,
        call(BillingBus.CODES_BATCH, new JsonObject().put("batch_id", id(ctx, "id")))));
    admin.post("/code-batches/:id/disable").handler(ctx -> reply(ctx,
        call(BillingBus.CODES_DISABLE, new JsonObject().put("batch_id", id(ctx, "id")))));
    admin.get("/usage").handler(this::usage);
    admin.get("/usage/summary").handler(this::usageSummary);
  }

  private void createAccount(RoutingContext ctx) {
    reply(ctx, 201, call(AuthBus.ACCOUNTS_CREATE, body(ctx))
        .map(account -> account.put("balance_credits", 0).put("held_credits", 0)));
  }

  private void getAccount(RoutingContext ctx) {
    long id = id(ctx, "id");
    reply(ctx, call(AuthBus.ACCOUNTS_GET, new JsonObject().put("id", id))
        .compose(account -> call(BillingBus.BALANCE, new JsonObject().put("account_id", id))
            .map(BalanceView::fromJson)
            .map(balance -> account
                .put("balance_credits", Credits.fromMicros(balance.balanceMicros()))
                .put("held_credits", Credits.fromMicros(balance.heldMicros()))
                .put("available_credits", Credits.fromMicros(balance.availableMicros())))));
  }

  private void addCredits(RoutingContext ctx) {
    long id = id(ctx, "id");
    JsonObject body = body(ctx);
    Object amount = body.getValue("amount_credits");
    if (amount == null) {
      throw GatewayError.MISSING_FIELD.exception("'amount_credits' is required", "amount_credits");
    }
    long micros;
    try {
      micros = Credits.parseMicros(amount);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw GatewayError.INVALID_VALUE.exception("'amount_credits' must be a number of credits with at most "
          + "6 decimals", "amount_credits");
    }
    if (micros > MAX_TOP_UP_MICROS) {
      throw GatewayError.INVALID_VALUE.exception("'amount_credits' must be at most "
          + Credits.fromMicros(MAX_TOP_UP_MICROS).toPlainString() + " credits", "amount_credits");
    }
    String note = JsonFields.string(body, null, "note");
    if (note != null) {
      JsonFields.checkStorableText(note, "note");
    }
    String idempotencyKey = JsonFields.identifier(body, null, "idempotency_key");
    JsonObject topUp = new JsonObject()
        .put("account_id", id)
        .put("amount_micros", micros)
        .put("note", note)
        .put("idempotency_key", idempotencyKey);
    reply(ctx, call(AuthBus.ACCOUNTS_GET, new JsonObject().put("id", id))
        .compose(account -> call(BillingBus.TOPUP, topUp))
        .map(TopUpReply::fromJson)
        .map(result -> new JsonObject()
            .put("account_id", id)
            .put("balance_credits", Credits.fromMicros(result.balanceMicros()))
            .put("replayed", result.replayed())));
  }

  /** A voucher for an account (which must exist): credits for a whitelist of models, optionally expiring. */
  private void grantVoucher(RoutingContext ctx) {
    long id = id(ctx, "id");
    JsonObject body = body(ctx);
    JsonObject grant = new JsonObject()
        .put("account_id", id)
        .put("amount_micros", creditsField(body, "amount_credits"))
        .put("models", body.getValue("models"))
        .put("expires_at", body.getValue("expires_at"))
        .put("note", body.getValue("note"))
        .put("idempotency_key", body.getValue("idempotency_key"));
    reply(ctx, 201, call(AuthBus.ACCOUNTS_GET, new JsonObject().put("id", id))
        .compose(account -> call(BillingBus.VOUCHERS_GRANT, grant)));
  }

  /**
   * A batch of redemption codes. The reply is the only time the codes are shown: as JSON, or as a
   * CSV download with {@code ?format=csv} (or {@code Accept: text/csv}).
   */
  private void createCodeBatch(RoutingContext ctx) {
    JsonObject body = body(ctx);
    JsonObject batch = body.copy().put("amount_micros", creditsField(body, "amount_credits"));
    batch.remove("amount_credits");
    boolean csv = "csv".equals(ctx.queryParams().get("format"))
        || String.valueOf(ctx.request().getHeader("accept")).contains("text/csv");
    call(BillingBus.CODES_CREATE, batch)
        .compose(created -> AuditTrail.record(ctx, 201, created).compose(v -> Sessions.store(ctx, false)).map(created))
        .onSuccess(created -> {
      if (!csv) {
        ctx.response().setStatusCode(201).putHeader("content-type", "application/json").end(created.toBuffer());
        return;
      }
      StringBuilder text = new StringBuilder("code,amount_credits,batch\r\n");
      for (Object code : created.getJsonArray("codes")) {
        text.append(code).append(',').append(created.getValue("amount_credits")).append(',')
            .append(csvField(created.getString("name"))).append("\r\n");
      }
      ctx.response().setStatusCode(201).putHeader("content-type", "text/csv; charset=utf-8")
          .putHeader("content-disposition", "attachment; filename=\"codes-" + created.getLong("id") + ".csv\"")
          .end(text.toString());
    }).onFailure(failure -> ctx.fail(GatewayException.of(failure)));
  }

  private static String csvField(String value) {
    String safe = value.replace("\"", "\"\"");
    // A leading =, +, - or @ would run as a formula in a spreadsheet.
    return "\"" + (safe.matches("^[=+\\-@].*") ? "'" + safe : safe) + "\"";
  }

  private static long creditsField(JsonObject body, String field) {
    Object amount = body.getValue(field);
    if (amount == null) {
      throw GatewayError.MISSING_FIELD.exception("'" + field + "' is required", field);
    }
    try {
      return Credits.parseMicros(amount);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be a number of credits with at most "
          + "6 decimals", field);
    }
  }

  private void usage(RoutingContext ctx) {
    JsonObject request = new JsonObject();
    String account = ctx.queryParams().get("account_id");
    if (account != null) {
      request.put("account_id", parseId(account, "account_id"));
    }
    String limit = ctx.queryParams().get("limit");
    if (limit != null) {
      request.put("limit", (int) Math.min(parseId(limit, "limit"), Integer.MAX_VALUE));
    }
    reply(ctx, call(BillingBus.USAGE, request));
  }

  /**
   * {@code {data: [{name, state}]}}: each channel's breaker as this router sees it (breakers are per router,
   * kept in step by events). Apart from the channel list, whose entries are sent back as definitions.
   */
  private JsonObject breakers(JsonObject channels) {
    io.vertx.core.json.JsonArray data = new io.vertx.core.json.JsonArray();
    channels.getJsonArray("data").forEach(c -> {
      String name = ((JsonObject) c).getString("name");
      String state = breakerState.apply(name);
      data.add(new JsonObject().put("name", name)
          .put("state", state == null ? null : state.toLowerCase(java.util.Locale.ROOT)));
    });
    return new JsonObject().put("data", data);
  }

  /** {@code GET /admin/accounts?q=&limit=&before_id=}: the console's account search (see {@code AuthBus.ACCOUNTS_SEARCH}). */
  private void searchAccounts(RoutingContext ctx) {
    JsonObject request = new JsonObject();
    String q = ctx.queryParams().get("q");
    if (q != null) {
      if (q.length() > 200) {
        throw GatewayError.INVALID_VALUE.exception("'q' must be at most 200 characters", "q");
      }
      request.put("q", q);
    }
    String limit = ctx.queryParams().get("limit");
    if (limit != null) {
      request.put("limit", (int) Math.min(parseId(limit, "limit"), 100));
    }
    String before = ctx.queryParams().get("before_id");
    if (before != null) {
      request.put("before_id", parseId(before, "before_id"));
    }
    reply(ctx, call(AuthBus.ACCOUNTS_SEARCH, request));
  }

  private void usageSummary(RoutingContext ctx) {
    JsonObject request = new JsonObject()
        .put("from", ctx.queryParams().get("from"))
        .put("until", ctx.queryParams().get("until"));
    String account = ctx.queryParams().get("account_id");
    if (account != null) {
      request.put("account_id", parseId(account, "account_id"));
    }
    reply(ctx, call(BillingBus.USAGE_SUMMARY, request));
  }

  private Future<JsonObject> call(String address, JsonObject body) {
    return bus.<JsonObject>request(address, body).map(reply -> reply.body());
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> result) {
    reply(ctx, 200, result);
  }

  /** Answers once the audit log has the call (see {@link AuditTrail}) and an operator's session is stored. */
  static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.compose(body -> AuditTrail.record(ctx, status, body).compose(v -> Sessions.store(ctx, false)).map(body))
        .onSuccess(body -> ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
            .end(body.toBuffer()))
        .onFailure(failure -> ctx.fail(GatewayException.of(failure)));
  }

  /**
   * The request body as an object. Every admin body is stored, so no string in it (key or value)
   * may hold what Postgres cannot store: a NUL character or a lone surrogate.
   */
  static JsonObject body(RoutingContext ctx) {
    // No body at all has no buffer (and length -1): the same as an empty one.
    io.vertx.core.buffer.Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      return new JsonObject();
    }
    Object value;
    try {
      value = io.vertx.core.json.Json.decodeValue(raw);
    } catch (DecodeException e) {
      throw GatewayError.INVALID_JSON.exception("The request body is not valid JSON.");
    }
    if (!(value instanceof JsonObject object)) {
      throw GatewayError.INVALID_JSON.exception("The request body must be a JSON object.");
    }
    JsonFields.checkDepth(object);
    JsonFields.checkStorableTree(object, "");
    return object;
  }

  /** A catalog name from the path (a channel or a model alias): no control characters. */
  static String name(RoutingContext ctx, String param) {
    String name = ctx.pathParam(param);
    JsonFields.checkIdentifier(name, param);
    return name;
  }

  private static long id(RoutingContext ctx, String param) {
    return parseId(ctx.pathParam(param), param);
  }

  static long parseId(String value, String param) {
    try {
      long id = Long.parseLong(value);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw GatewayError.INVALID_VALUE.exception("'" + param + "' must be a positive whole number", param);
  }
}
