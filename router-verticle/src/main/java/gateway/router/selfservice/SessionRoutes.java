package gateway.router.selfservice;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.AuthBus;
import gateway.common.bus.BillingBus;
import gateway.router.edge.Secrets;
import gateway.router.edge.TrustedProxies;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in and out, the user's own password, invitations, password resets and sign-up. Passwords
 * are hashed and checked here (worker threads); auth only ever sees the hashes. A wrong password, an
 * unknown email, a disabled user and one who never set a password all get the same 401 after the same
 * work (an unknown email is checked against a dummy hash).
 */
final class SessionRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRoutes.class);

  private final EventBus bus;
  private final SelfServiceConfig config;
  private final PasswordHasher passwords;
  private final AttemptLimiter attempts;
  private final TrustedProxies proxies;

  SessionRoutes(EventBus bus, SelfServiceConfig config, PasswordHasher passwords, AttemptLimiter attempts,
                TrustedProxies proxies) {
    this.bus = bus;
    this.config = config;
    this.passwords = passwords;
    this.attempts = attempts;
    this.proxies = proxies;
  }

  void csrfToken(RoutingContext ctx) {
    Replies.json(ctx, 200, new JsonObject().put("csrf_token", ctx.<String>get(Sessions.CSRF_HEADER)));
  }

  void login(RoutingContext ctx) {
    JsonObject body = Inputs.body(ctx);
    String email = body.getString("email").trim().toLowerCase(Locale.ROOT);
    AttemptLimiter.Counter byEmail = emailCounter(email);
    AttemptLimiter.Counter byAddress = addressCounter(ctx, "login-address");
    attempts.take("login", List.of(byEmail, byAddress))
        .compose(v -> checkPassword(email, body.getString("password")))
        .compose(this::user)
        .onSuccess(user -> {
          attempts.clear(List.of(byEmail));
          attempts.giveBack(List.of(byAddress));
          Sessions.signIn(ctx, user);
          me(ctx, 200, user);
        })
        .onFailure(failure -> Replies.fail(ctx, failure));
  }

  void logout(RoutingContext ctx) {
    SignedInUser user = Sessions.user(ctx);
    boolean everywhere = Inputs.body(ctx).getBoolean("everywhere", false);
    Future<?> ended = user != null && everywhere
        ? Replies.call(bus, AuthBus.USERS_END_SESSIONS, new JsonObject().put("id", user.id()))
        : Future.succeededFuture();
    ended.onSuccess(v -> {
      Sessions.signOut(ctx);
      Replies.noContent(ctx);
    }).onFailure(failure -> Replies.fail(ctx, failure));
  }

  void me(RoutingContext ctx) {
    me(ctx, 200, Guards.signedIn(ctx));
  }

  void changePassword(RoutingContext ctx) {
    SignedInUser user = Guards.signedIn(ctx);
    JsonObject body = Inputs.body(ctx);
    AttemptLimiter.Counter byEmail = emailCounter(user.email());
    attempts.take("password", List.of(byEmail))
        .compose(v -> checkPassword(user.email(), body.getString("current_password")))
        .compose(v -> passwords.hash(body.getString("new_password")))
        .compose(hash -> Replies.call(bus, AuthBus.USERS_SET_PASSWORD,
            new JsonObject().put("id", user.id()).put("password_hash", hash)))
        .onSuccess(view -> {
          attempts.clear(List.of(byEmail));
          SignedInUser changed = SignedInUser.fromView(view);
          Sessions.restamp(ctx, changed.sessionEpoch());
          me(ctx, 200, changed);
        })
        .onFailure(failure -> Replies.fail(ctx, failure));
  }

  void acceptInvitation(RoutingContext ctx) {
    JsonObject body = Inputs.body(ctx);
    useToken(ctx, body, "invitation").onSuccess(user -> {
      Sessions.signIn(ctx, user);
      me(ctx, 200, user);
    }).onFailure(failure -> Replies.fail(ctx, failure));
  }

  void resetPassword(RoutingContext ctx) {
    useToken(ctx, Inputs.body(ctx), "reset").onSuccess(user -> Replies.noContent(ctx))
        .onFailure(failure -> Replies.fail(ctx, failure));
  }

  void signUp(RoutingContext ctx) {
    if (!config.signupOpen()) {
      Replies.fail(ctx, GatewayError.SIGNUP_CLOSED.exception());
      return;
    }
    JsonObject body = Inputs.body(ctx);
    // Every sign-up counts (none is given back): accounts, and sign-up vouchers, are not free to farm.
    attempts.take("sign-up", List.of(attempts.counter("signup-address", Guards.clientAddress(ctx, proxies),
            config.loginMaxFailures())))
        .compose(v -> passwords.hash(body.getString("password")))
        .compose(hash -> Replies.call(bus, AuthBus.USERS_SIGN_UP, new JsonObject()
            .put("email", body.getString("email"))
            .put("password_hash", hash)
            .put("display_name", body.getString("display_name"))
            .put("account_name", body.getString("account_name"))))
        .compose(created -> grantSignUpVoucher(created.getLong("account_id")).map(created.getJsonObject("user")))
        .onSuccess(view -> {
          SignedInUser user = SignedInUser.fromView(view);
          Sessions.signIn(ctx, user);
          me(ctx, 201, user);
        })
        .onFailure(failure -> Replies.fail(ctx, failure));
  }

  private Future<Void> grantSignUpVoucher(long accountId) {
    if (config.signupVoucherMicros() == 0) {
      return Future.succeededFuture();
    }
    JsonObject grant = new JsonObject()
        .put("account_id", accountId)
        .put("amount_micros", config.signupVoucherMicros())
        .put("models", new JsonArray(config.signupVoucherModels()))
        .put("expires_at", config.signupVoucherDays() == 0 ? null
            : Instant.now().plus(config.signupVoucherDays(), ChronoUnit.DAYS).toString())
        .put("source", "signup")
        .put("note", "sign-up voucher")
        .put("idempotency_key", "signup");
    return Replies.call(bus, BillingBus.VOUCHERS_GRANT, grant).<Void>mapEmpty().recover(failure -> {
      LOG.error("account {} signed up but its sign-up voucher was not granted", accountId, failure);
      return Future.succeededFuture();
    });
  }

  /** The user id whose password this is; the same 401 for every way it is not. */
  private Future<Long> checkPassword(String email, String password) {
    return Replies.call(bus, AuthBus.USERS_CREDENTIALS, new JsonObject().put("email", email))
        .recover(failure -> GatewayException.of(failure).error() == GatewayError.NOT_FOUND
            ? Future.succeededFuture(null) : Future.failedFuture(failure))
        .compose(credentials -> passwords.verify(password,
                credentials == null ? null : credentials.getString("password_hash"))
            .compose(matches -> matches && !credentials.getBoolean("disabled")
                ? Future.succeededFuture(credentials.getLong("user_id"))
                : Future.failedFuture(GatewayError.INVALID_CREDENTIALS.exception())));
  }

  private Future<SignedInUser> useToken(RoutingContext ctx, JsonObject body, String purpose) {
    AttemptLimiter.Counter byAddress = addressCounter(ctx, "link-address");
    return attempts.take("link", List.of(byAddress))
        .compose(v -> passwords.hash(body.getString("password")))
        .compose(hash -> Replies.call(bus, AuthBus.USERS_USE_TOKEN, new JsonObject()
            .put("token_sha256", Secrets.digest(body.getString("token")))
            .put("purpose", purpose)
            .put("password_hash", hash)
            .put("display_name", body.getString("display_name"))))
        .map(view -> {
          attempts.giveBack(List.of(byAddress));
          return SignedInUser.fromView(view);
        });
  }

  private Future<SignedInUser> user(long id) {
    return Replies.call(bus, AuthBus.USERS_GET, new JsonObject().put("id", id)).map(SignedInUser::fromView);
  }

  /** {user, account}: the account (id, name, models, limits) for account users, null for operators. */
  private void me(RoutingContext ctx, int status, SignedInUser user) {
    Future<JsonObject> account = user.operator() ? Future.succeededFuture(null)
        : Replies.call(bus, AuthBus.ACCOUNTS_GET, new JsonObject().put("id", user.accountId()));
    account.onSuccess(a -> Replies.json(ctx, status, new JsonObject().put("user", user.publicView()).put("account", a)))
        .onFailure(failure -> Replies.fail(ctx, failure));
  }

  private AttemptLimiter.Counter emailCounter(String email) {
    return attempts.counter("login-email", Secrets.digest(email), config.loginMaxFailures());
  }

  private AttemptLimiter.Counter addressCounter(RoutingContext ctx, String kind) {
    return attempts.counter(kind, Guards.clientAddress(ctx, proxies), config.loginMaxFailuresPerAddress());
  }
}
