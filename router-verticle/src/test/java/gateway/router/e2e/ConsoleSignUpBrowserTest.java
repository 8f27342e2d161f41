package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sign-up (when the gateway allows it) and the password change, in a real browser. */
@ExtendWith(VertxExtension.class)
class ConsoleSignUpBrowserTest {
  private Browser browser;

  @AfterEach
  void close() {
    if (browser != null) {
      browser.screenshot("last");
      browser.close();
    }
  }

  @Test
  @DisplayName("with sign-up open, a visitor makes an account (with the sign-up voucher), changes the password and "
      + "signs in with the new one; the old one is refused")
  void signUpAndChangePassword(Vertx vertx) {
    Browser.requireInstalled();
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx, env -> env.with("GATEWAY_SIGNUP", "open")
        .with("GATEWAY_SIGNUP_VOUCHER_CREDITS", "3"));
    browser = Browser.open("signup");
    browser.go(gateway.baseUrl() + "/dashboard/");
    browser.click("[data-test=to-signup]");
    browser.type("form[data-test=signup] input[name=email]", "dora@example.com");
    browser.type("form[data-test=signup] input[name=display_name]", "Dora");
    browser.type("form[data-test=signup] input[name=account_name]", "Dora's lab");
    browser.type("form[data-test=signup] input[name=password]", SelfServiceUsers.PASSWORD);
    browser.screenshot("signup");
    browser.click("form[data-test=signup] button[type=submit]");
    browser.findWithText("h1", "Dora's lab");
    browser.findWithText("[data-test=vouchers] .value", "3");
    browser.findWithText("[data-test=available] .value", "3");
    browser.findWithText("[data-test=balance] .value", "0");
    browser.findWithText("tbody tr", "active");
    browser.screenshot("overview-voucher");

    String changed = "a new passphrase for dora";
    browser.click("a[data-page=account]");
    browser.type("input[autocomplete=current-password]", SelfServiceUsers.PASSWORD);
    browser.type("input[autocomplete=new-password]", changed);
    browser.click("main form button[type=submit]");
    browser.findWithText("[role=status]", "The password is changed");
    browser.screenshot("password-changed");
    browser.click("[data-test=signout]");

    browser.type("form[data-test=signin] input[name=email]", "dora@example.com");
    browser.type("form[data-test=signin] input[name=password]", SelfServiceUsers.PASSWORD);
    browser.click("form[data-test=signin] button[type=submit]");
    browser.findWithText("[role=alert]", "The email or the password is wrong.");
    browser.screenshot("wrong-password");
    browser.type("form[data-test=signin] input[name=password]", changed);
    browser.click("form[data-test=signin] button[type=submit]");
    assertThat(browser.findWithText("h1", "Dora's lab").isDisplayed()).isTrue();
  }
}
