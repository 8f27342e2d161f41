package gateway.router.selfservice;

import gateway.common.config.Env;
import gateway.common.money.Credits;
import java.util.List;


/**
 * The settings of users, sessions and the self-service API, part of the router's configuration.
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

  public enum Signup implements Env.Choice {
    OPEN("open"), CLOSED("closed");

    private final String wire;

    Signup(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }
  }

  public static SelfServiceConfig fromEnv(Env env) {
    long voucherMicros = env.parsed("GATEWAY_SIGNUP_VOUCHER_CREDITS", "0", Credits::parseMicros);
    List<String> models = env.list("GATEWAY_SIGNUP_VOUCHER_MODELS");
    return new SelfServiceConfig(env.choice("GATEWAY_SIGNUP", Signup.CLOSED) == Signup.OPEN, voucherMicros,
        models.isEmpty() ? List.of("*") : models,
        env.integer("GATEWAY_SIGNUP_VOUCHER_DAYS", 30),
        env.bool("GATEWAY_COOKIE_SECURE", false),
        env.integer("GATEWAY_SESSION_TIMEOUT_MINUTES", 30),
        env.integer("GATEWAY_LOGIN_MAX_FAILURES", 10),
        env.integer("GATEWAY_LOGIN_MAX_FAILURES_PER_ADDRESS", 100),
        env.integer("GATEWAY_REDEEM_MAX_FAILURES", 10),
        env.integer("GATEWAY_REDEEM_MAX_FAILURES_PER_ADDRESS", 30),
        env.integer("GATEWAY_LOCKOUT_MINUTES", 15),
        env.integer("GATEWAY_INVITATION_TTL_HOURS", 72),
        env.integer("GATEWAY_RESET_TTL_HOURS", 24),
        env.string("GATEWAY_PUBLIC_URL", null),
        env.string("GATEWAY_LINK_WEBHOOK_URL", null));
  }
}
