package gateway.common;

import gateway.common.money.Credits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings of users, sessions and the self-service API, part of {@link GatewayConfig}. In its
 * JSON they sit at the top level beside the other settings, so {@code config.with("signup", "open")}
 * tunes one like any other.
 *
 * @param signupOpen              {@code GATEWAY_SIGNUP=open}: anyone may create an account and its owner
 * @param signupVoucherMicros     credit of the voucher a signed-up account starts with; 0: none
 * @param signupVoucherModels     the models that voucher covers (aliases or patterns, {@code *} allowed)
 * @param signupVoucherDays       how long it is valid; 0: no expiry
 * @param cookieSecure            session and CSRF cookies carry {@code Secure} (set it when served over TLS)
 * @param sessionTimeoutMinutes   a session unused this long ends; also how long a CSRF token stays valid
 * @param loginMaxFailures        failed logins per email within the lockout window before it is locked
 * @param loginMaxFailuresPerAddress failed logins per client address within the window before it is locked
 * @param redeemMaxFailures       failed redemptions per account within the window before redeeming is locked
 * @param redeemMaxFailuresPerAddress failed redemptions per client address within the window
 * @param lockoutMinutes          the window failures are counted in, and how long a lock lasts
 * @param invitationTtlHours      how long an invitation link works
 * @param resetTtlHours           how long a password-reset link works
 * @param publicUrl               the gateway's public base URL, for links; null: links are relative paths
 * @param linkWebhookUrl          where invitation and reset links are POSTed as JSON; null: nowhere
 */
public record SelfServiceConfig(
    boolean signupOpen,
    long signupVoucherMicros,
    List<String> signupVoucherModels,
    int signupVoucherDays,
    boolean cookieSecure,
    int sessionTimeoutMinutes,
    int loginMaxFailures,
    int loginMaxFailuresPerAddress,
    int redeemMaxFailures,
    int redeemMaxFailuresPerAddress,
    int lockoutMinutes,
    int invitationTtlHours,
    int resetTtlHours,
    String publicUrl,
    String linkWebhookUrl) {

  public SelfServiceConfig {
    signupVoucherModels = List.copyOf(signupVoucherModels);
    if (signupVoucherMicros < 0 || signupVoucherDays < 0) {
      throw new IllegalArgumentException("GATEWAY_SIGNUP_VOUCHER_CREDITS and _DAYS cannot be negative");
    }
    for (int positive : new int[] {sessionTimeoutMinutes, loginMaxFailures, loginMaxFailuresPerAddress,
        redeemMaxFailures, redeemMaxFailuresPerAddress, lockoutMinutes, invitationTtlHours, resetTtlHours}) {
      if (positive <= 0) {
        throw new IllegalArgumentException("session, lockout and link settings must be at least 1");
      }
    }
  }

  static SelfServiceConfig fromEnv(Map<String, String> env) {
    String signup = value(env, "GATEWAY_SIGNUP", "closed");
    if (!signup.equals("open") && !signup.equals("closed")) {
      throw new IllegalArgumentException("GATEWAY_SIGNUP must be open or closed, got '" + signup + "'");
    }
    long voucherMicros;
    try {
      voucherMicros = Credits.parseMicros(value(env, "GATEWAY_SIGNUP_VOUCHER_CREDITS", "0"));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException("GATEWAY_SIGNUP_VOUCHER_CREDITS must be a number of credits");
    }
    List<String> models = new ArrayList<>();
    for (String part : value(env, "GATEWAY_SIGNUP_VOUCHER_MODELS", "*").split(",")) {
      if (!part.isBlank()) {
        models.add(part.trim());
      }
    }
    return new SelfServiceConfig(signup.equals("open"), voucherMicros, models,
        integer(env, "GATEWAY_SIGNUP_VOUCHER_DAYS", 30),
        Boolean.parseBoolean(value(env, "GATEWAY_COOKIE_SECURE", "false")),
        integer(env, "GATEWAY_SESSION_TIMEOUT_MINUTES", 30),
        integer(env, "GATEWAY_LOGIN_MAX_FAILURES", 10),
        integer(env, "GATEWAY_LOGIN_MAX_FAILURES_PER_ADDRESS", 100),
        integer(env, "GATEWAY_REDEEM_MAX_FAILURES", 10),
        integer(env, "GATEWAY_REDEEM_MAX_FAILURES_PER_ADDRESS", 30),
        integer(env, "GATEWAY_LOCKOUT_MINUTES", 15),
        integer(env, "GATEWAY_INVITATION_TTL_HOURS", 72),
        integer(env, "GATEWAY_RESET_TTL_HOURS", 24),
        value(env, "GATEWAY_PUBLIC_URL", null),
        value(env, "GATEWAY_LINK_WEBHOOK_URL", null));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("signup", signupOpen ? "open" : "closed")
        .put("signup_voucher_micros", signupVoucherMicros)
        .put("signup_voucher_models", new JsonArray(signupVoucherModels))
        .put("signup_voucher_days", signupVoucherDays)
        .put("cookie_secure", cookieSecure)
        .put("session_timeout_minutes", sessionTimeoutMinutes)
        .put("login_max_failures", loginMaxFailures)
        .put("login_max_failures_per_address", loginMaxFailuresPerAddress)
        .put("redeem_max_failures", redeemMaxFailures)
        .put("redeem_max_failures_per_address", redeemMaxFailuresPerAddress)
        .put("lockout_minutes", lockoutMinutes)
        .put("invitation_ttl_hours", invitationTtlHours)
        .put("reset_ttl_hours", resetTtlHours)
        .put("public_url", publicUrl)
        .put("link_webhook_url", linkWebhookUrl);
  }

  static SelfServiceConfig fromJson(JsonObject json, SelfServiceConfig d) {
    List<String> models = new ArrayList<>();
    json.getJsonArray("signup_voucher_models", new JsonArray(d.signupVoucherModels))
        .forEach(m -> models.add((String) m));
    return new SelfServiceConfig(
        "open".equals(json.getString("signup", d.signupOpen ? "open" : "closed")),
        json.getLong("signup_voucher_micros", d.signupVoucherMicros),
        models,
        json.getInteger("signup_voucher_days", d.signupVoucherDays),
        json.getBoolean("cookie_secure", d.cookieSecure),
        json.getInteger("session_timeout_minutes", d.sessionTimeoutMinutes),
        json.getInteger("login_max_failures", d.loginMaxFailures),
        json.getInteger("login_max_failures_per_address", d.loginMaxFailuresPerAddress),
        json.getInteger("redeem_max_failures", d.redeemMaxFailures),
        json.getInteger("redeem_max_failures_per_address", d.redeemMaxFailuresPerAddress),
        json.getInteger("lockout_minutes", d.lockoutMinutes),
        json.getInteger("invitation_ttl_hours", d.invitationTtlHours),
        json.getInteger("reset_ttl_hours", d.resetTtlHours),
        json.getString("public_url", d.publicUrl),
        json.getString("link_webhook_url", d.linkWebhookUrl));
  }

  private static String value(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = value(env, name, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }
}
