package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The consoles in a real browser against the whole gateway: what a customer and an operator do,
 * with a screenshot of every page visited (target/screenshots/).
 */
@ExtendWith(VertxExtension.class)
class ConsoleBrowserTest {
  private GatewayUnderTest gateway;
  private Browser browser;
  private long account;

  @BeforeEach
  void start(Vertx vertx) {
    Browser.requireInstalled();
    gateway = GatewayUnderTest.start(vertx);
    gateway.openAiModel("model-a", "a", GatewayUnderTest.price("2", "8", null));
    gateway.fake.script("a", Behavior.reply("Hello from the fake upstream").usage(1000, 500));
    account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "acme")).getLong("id");
    gateway.admin.ok("POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", 10));
  }

  @AfterEach
  void close() {
    if (browser != null) {
      browser.screenshot("last");
      browser.close();
    }
  }

  @Test
  @DisplayName("a customer accepts the invitation, creates a key and copies it, the OpenAI SDK uses it, the overview "
      + "and the usage page show its cost, and redeeming a code raises the balance")
  void customerJourney() {
    browser = Browser.open("customer");
    String invitation = SelfServiceUsers.invite(gateway, account, "ann@example.com", "owner")
        .getJsonObject("invitation").getString("url");
    browser.go(gateway.baseUrl() + invitation);
    browser.screenshot("invitation");
    browser.type("input[name=display_name]", "Ann");
    browser.type("input[name=password]", SelfServiceUsers.PASSWORD);
    browser.type("input[name=password2]", SelfServiceUsers.PASSWORD);
    browser.click("form[data-test=link-form] button[type=submit]");
    browser.findWithText("[data-test=available] .value", "10");
    browser.screenshot("overview-empty");

    browser.click("a[data-page=keys]");
    browser.click("[data-test=create-key]");
    browser.type("form[data-test=key-form] input[name=name]", "laptop");
    browser.type("[data-test=model-search]", "model-a");
    browser.click("li[data-model=model-a] label");
    browser.findWithText(".multiselect .chosen button", "model-a");
    browser.screenshot("key-create");
    browser.click("form[data-test=key-form] button[type=submit]");
    String shown = browser.find("[data-test=secret]").getText();
    assertThat(shown).startsWith("sk-");
    browser.allowClipboard(gateway.baseUrl());
    browser.click("[data-test=copy]");
    browser.findWithText("dialog [role=status]", "Copied.");
    String copied = browser.clipboard();
    assertThat(copied).isEqualTo(shown);
    browser.screenshot("key-shown-once");
    browser.click("[data-test=done]");
    WebElement row = browser.findWithText("tbody tr", "laptop");
    assertThat(row.getText()).contains("model-a").doesNotContain(copied);
    assertThat(browser.driver.getPageSource()).doesNotContain(copied);
    browser.screenshot("keys");
    // the search runs on the server: no match, then a match in another case
    browser.type("[data-test=key-search]", "desk");
    browser.click("form[data-test=key-search-form] button[type=submit]");
    browser.findWithText("tbody tr", "No keys");
    browser.type("[data-test=key-search]", "LAP");
    browser.click("form[data-test=key-search-form] button[type=submit]");
    browser.findWithText("tbody tr", "laptop");
    browser.screenshot("keys-searched");

    ChatCompletion answer = gateway.sdk(copied).chat().completions().create(ChatCompletionCreateParams.builder()
        .model("model-a").addUserMessage("Hi").build());
    assertThat(answer.choices().get(0).message().content()).contains("Hello from the fake upstream");
    // 1000 prompt tokens × 2 µcr + 500 completion × 8 µcr = 6,000 µcr = 0.006 credits
    String cost = awaitCharged();
    assertThat(cost).isEqualTo("0.006");

    browser.click("a[data-page=overview]");
    browser.driver.navigate().refresh();
    browser.findWithText("[data-test=today] .value", cost);
    browser.findWithText("[data-test=month] .value", cost);
    assertThat(browser.all("[data-test=chart] svg rect")).isNotEmpty();
    browser.screenshot("overview");

    browser.click("a[data-page=usage]");
    WebElement usage = browser.findWithText("tbody tr", "model-a");
    assertThat(usage.getText()).contains("laptop").contains(cost).contains("1,000").contains("500");
    browser.findWithText("[data-test=total-cost] .value", cost);
    assertThat(browser.find("[data-test=csv]").getAttribute("href")).contains("/api/usage/export.csv");
    browser.screenshot("usage");

    JsonObject batch = gateway.admin.ok("POST", "/admin/code-batches", new JsonObject().put("name", "welcome")
        .put("count", 1).put("amount_credits", 5));
    String code = batch.getJsonArray("codes").getValue(0) instanceof JsonObject c ? c.getString("code")
        : batch.getJsonArray("codes").getString(0);
    browser.click("a[data-page=redeem]");
    browser.type("form[data-test=redeem-form] input[name=code]", code);
    browser.click("form[data-test=redeem-form] button[type=submit]");
    browser.findWithText("[data-test=redeem-status]", "5 credits added");
    browser.findWithText("tbody tr", "welcome");
    browser.screenshot("redeem");
    browser.click("a[data-page=overview]");
    browser.findWithText("[data-test=available] .value", "14.994");
    assertThat(gateway.account(account).getValue("available_credits").toString()).isEqualTo("14.994");

    mediaModels();
    browser.click("a[data-page=models]");
    browser.find("article[data-model=model-a]");
    WebElement image = browser.find("article[data-model=picture-model]");
    assertThat(image.getText()).contains("Image").contains("1024x1024 · high").contains("4.5 cr · $0.045")
        .contains("1536x1024").contains("6 cr · $0.06");
    WebElement video = browser.find("article[data-model=movie-model]");
    assertThat(video.getText()).contains("Video").contains("720P").contains("6 cr · $0.06").contains("5 s, 10 s")
        .contains("16:9");
    browser.screenshot("models");
    new org.openqa.selenium.support.ui.Select(browser.find("select[name=type]")).selectByValue("text2video");
    browser.waitUntil("only the video model shown", () -> browser.all("article.model-card").size() == 1);
    assertThat(browser.all("article[data-model=movie-model]")).hasSize(1);
    new org.openqa.selenium.support.ui.Select(browser.find("select[name=type]")).selectByValue("");
    browser.click("article[data-model=model-a] h3 a");
    browser.findWithText("pre.snippet", gateway.baseUrl() + "/v1");
    browser.screenshot("model-detail");
    browser.click("a[data-page=start]");
    browser.findWithText("[data-test=base-url]", gateway.baseUrl() + "/v1");
    browser.screenshot("quick-start");

    browser.phoneWidth(true);
    browser.click("a[data-page=overview]");
    browser.findWithText("[data-test=available] .value", "14.994");
    browser.screenshot("overview-phone");
    browser.click("a[data-page=keys]");
    browser.findWithText("tbody tr", "laptop");
    browser.screenshot("keys-phone");
    browser.phoneWidth(false);

    keyLifecycle(copied);

    browser.click("[data-test=signout]");
    browser.find("form[data-test=signin]");
    browser.go(gateway.baseUrl() + "/dashboard/#/keys");
    browser.find("form[data-test=signin]");
    browser.screenshot("signed-out");
  }

  @Test
  @DisplayName("an operator creates a channel (key write-only) and a model, tops up an account once on a double click, "
      + "and the customer sees the new model on the market page")
  void operatorJourney() {
    gateway.fake.script("fresh-upstream", Behavior.reply("fresh").usage(10, 10));
    SelfServiceUsers.signedIn(gateway, account, "bob@example.com", "owner");
    String invitation = SelfServiceUsers.invite(gateway, null, "ops@example.com", "admin")
        .getJsonObject("invitation").getString("url");
    browser = Browser.open("operator");
    browser.go(gateway.baseUrl() + invitation);
    browser.type("input[name=password]", SelfServiceUsers.PASSWORD);
    browser.type("input[name=password2]", SelfServiceUsers.PASSWORD);
    browser.click("form[data-test=link-form] button[type=submit]");
    browser.findWithText("tbody tr", "fake-openai");
    browser.screenshot("channels");

    browser.click("[data-test=new-channel]");
    browser.type("form[data-test=channel-form] input[name=name]", "second-openai");
    browser.type("form[data-test=channel-form] input[name=base_url]", gateway.fake.openAiBaseUrl());
    browser.type("form[data-test=channel-form] input[name=api_key]", GatewayUnderTest.CHANNEL_KEY);
    browser.screenshot("channel-create");
    browser.click("form[data-test=channel-form] button[type=submit]");
    WebElement channel = browser.findWithText("tbody tr", "second-openai");
    assertThat(channel.getText()).contains("set");
    assertThat(browser.driver.getPageSource()).doesNotContain(GatewayUnderTest.CHANNEL_KEY);
    browser.screenshot("channels-after");
    clickInRow("second-openai", "Disable");
    browser.findWithText("tbody tr", "disabled");
    clickInRow("second-openai", "Enable");
    browser.waitUntil("second-openai enabled again", () -> browser.all("tbody tr").stream()
        .anyMatch(r -> r.getText().contains("second-openai") && r.getText().contains("enabled")));
    assertThat(gateway.admin.ok("GET", "/admin/channels", null).getJsonArray("data").stream()
        .map(JsonObject.class::cast).filter(c -> c.getString("name").equals("second-openai")).findFirst().orElseThrow()
        .getBoolean("api_key_set")).isTrue();

    browser.click("a[data-page=models]");
    browser.click("[data-test=new-model]");
    browser.type("form[data-test=model-form] input[name=alias]", "fresh-model");
    browser.type("form[data-test=model-form] input[name=context_length]", "32000");
    browser.type("form[data-test=model-form] input[name=input_per_mtok]", "3");
    browser.type("form[data-test=model-form] input[name=output_per_mtok]", "12");
    new org.openqa.selenium.support.ui.Select(browser.find("form[data-test=model-form] select[name=channel]"))
        .selectByValue("second-openai");
    browser.type("form[data-test=model-form] input[name=upstream_model]", "fresh-upstream");
    browser.screenshot("model-create");
    browser.click("form[data-test=model-form] button[type=submit]");
    browser.findWithText("tbody tr", "fresh-model");
    browser.screenshot("models");

    browser.click("a[data-page=accounts]");
    browser.type("[data-test=account-search]", "acm");
    browser.find("[data-test=account-search]").submit();
    browser.click("a[href='#/accounts/" + account + "']");
    browser.findWithText("[data-test=account-title]", "acme");
    browser.findWithText("[data-test=available] .value", "10");
    browser.screenshot("account");
    browser.click("[data-test=top-up]");
    browser.type("form[data-test=top-up-form] input[name=amount_credits]", "5");
    // A double click sends the top-up twice with the page's one idempotency key: credited once.
    WebElement submit = browser.find("form[data-test=top-up-form] button[type=submit]");
    new Actions(browser.driver).doubleClick(submit).perform();
    browser.findWithText("[data-test=available] .value", "15");
    // Under load the browser may fold the double click into one submit; either way the account is credited once.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> !topUpsByOperator().isEmpty());
    assertThat(topUpsByOperator()).hasSizeBetween(1, 2);
    assertThat(topUpsByOperator().stream().map(e -> e.getInteger("status"))).containsOnly(200);
    assertThat(new BigDecimal(gateway.account(account).getValue("available_credits").toString()))
        .isEqualByComparingTo("15");
    browser.screenshot("account-topped-up");

    browser.click("[data-test=grant-voucher]");
    browser.type("dialog input[name=amount_credits]", "2");
    browser.type("dialog input[name=models]", "fresh-*");
    browser.click("dialog button[type=submit]");
    browser.findWithText("tbody tr", "fresh-*");
    browser.click("[data-test=invite]");
    browser.type("dialog input[name=email]", "carol@example.com");
    browser.click("dialog button[type=submit]");
    String link = browser.find("[data-test=secret]").getText();
    assertThat(link).startsWith(gateway.baseUrl() + "/console/invitation#token=");
    browser.click("[data-test=done]");
    browser.findWithText("tbody tr", "carol@example.com");
    browser.screenshot("account-voucher-invited");

    browser.click("a[data-page=codes]");
    browser.click("[data-test=new-batch]");
    browser.type("form[data-test=batch-form] input[name=name]", "spring");
    browser.type("form[data-test=batch-form] input[name=count]", "3");
    browser.type("form[data-test=batch-form] input[name=amount_credits]", "1");
    browser.click("form[data-test=batch-form] button[type=submit]");
    String codes = browser.find("[data-test=codes]").getText();
    assertThat(codes.lines().filter(l -> !l.isBlank()).count()).isEqualTo(3);
    assertThat(browser.find("[data-test=codes-csv]").getAttribute("href")).startsWith("blob:");
    browser.screenshot("codes-made");
    browser.click("dialog button");
    browser.findWithText("tbody tr", "spring");
    browser.screenshot("codes");
    browser.click("a[data-page=reports]");
    browser.find("tfoot");
    browser.screenshot("reports");
    browser.click("a[data-page=audit]");
    browser.findWithText("tbody tr", "accounts.credit");
    browser.screenshot("audit");
    JsonArray audit = gateway.admin.ok("GET", "/admin/audit?action=accounts.credit", null).getJsonArray("data");
    assertThat(audit.getJsonObject(0).getJsonObject("actor").getString("email")).isEqualTo("ops@example.com");

    browser.click("[data-test=signout]");
    browser.go(gateway.baseUrl() + "/dashboard/");
    browser.type("form[data-test=signin] input[name=email]", "bob@example.com");
    browser.type("form[data-test=signin] input[name=password]", SelfServiceUsers.PASSWORD);
    browser.click("form[data-test=signin] button[type=submit]");
    browser.find("[data-test=available]");
    browser.click("a[data-page=models]");
    browser.type("[data-test=market-search]", "fresh");
    WebElement card = browser.find("article[data-model=fresh-model]");
    assertThat(card.getText()).contains("32,000").contains("3 cr").contains("12 cr").contains("$0.03").contains("$0.12");
    assertThat(browser.all("article[data-model=model-a]")).isEmpty();
    browser.screenshot("market-new-model");
  }

  /** Disable, enable, regenerate (the new secret shown once, the old one refused) and delete, on the keys page. */
  private void keyLifecycle(String secret) {
    browser.click("a[data-page=keys]");
    browser.findWithText("tbody tr", "laptop");
    clickInRow("laptop", "Edit");
    browser.type("dialog input[name=rpm]", "60");
    browser.screenshot("key-edit");
    browser.click("dialog button[type=submit]");
    browser.findWithText("tbody tr", "RPM 60");
    clickInRow("laptop", "Disable");
    browser.findWithText("tbody tr", "disabled");
    assertThat(status(secret)).isEqualTo(401);
    clickInRow("laptop", "Enable");
    browser.findWithText("tbody tr", "active");
    assertThat(status(secret)).isEqualTo(200);
    clickInRow("laptop", "Regenerate");
    browser.click("dialog [data-test=confirm]");
    String renewed = browser.find("[data-test=secret]").getText();
    assertThat(renewed).startsWith("sk-").isNotEqualTo(secret);
    browser.screenshot("key-regenerated");
    browser.click("[data-test=done]");
    assertThat(status(secret)).isEqualTo(401);
    assertThat(status(renewed)).isEqualTo(200);
    clickInRow("laptop", "Delete");
    browser.find("dialog [data-test=confirm]");
    browser.screenshot("key-delete-confirm");
    browser.click("dialog [data-test=confirm]");
    browser.findWithText("tbody td", "No keys yet");
    assertThat(status(renewed)).isEqualTo(401);
  }

  private void clickInRow(String rowText, String button) {
    browser.waitUntil("a " + button + " button in the row " + rowText, () -> {
      for (WebElement row : browser.all("tbody tr")) {
        if (row.getText().contains(rowText)) {
          for (WebElement b : row.findElements(org.openqa.selenium.By.tagName("button"))) {
            if (b.getText().equals(button)) {
              b.click();
              return true;
            }
          }
        }
      }
      return false;
    });
  }

  private int status(String key) {
    return new RawHttp(gateway.v1()).post("/chat/completions", key, new JsonObject().put("model", "model-a")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode())
        .statusCode();
  }

  /** An image model priced per image by size and quality, and a video model per second by resolution. */
  private void mediaModels() {
    JsonArray route = new JsonArray().add(new JsonObject().put("channel", "fake-openai").put("model", "media"));
    gateway.admin.ok("PUT", "/admin/models/picture-model", new JsonObject().put("type", "text2image")
        .put("available_sizes", new JsonArray().add("1024x1024").add("1536x1024"))
        .put("available_qualities", new JsonArray().add("low").add("high"))
        .put("price", new JsonObject().put("per_image", new JsonObject()
            .put("1024x1024", new JsonObject().put("low", 1).put("high", "4.5")).put("1536x1024", 6)))
        .put("routes", route));
    gateway.admin.ok("PUT", "/admin/models/movie-model", new JsonObject().put("type", "text2video")
        .put("available_resolutions", new JsonArray().add("480P").add("720P"))
        .put("available_durations", new JsonArray().add(5).add(10))
        .put("available_ratios", new JsonArray().add("16:9"))
        .put("price", new JsonObject().put("per_second", new JsonObject().put("480P", 3).put("720P", 6)))
        .put("routes", route));
  }

  private java.util.List<JsonObject> topUpsByOperator() {
    return gateway.admin.ok("GET", "/admin/audit?action=accounts.credit", null).getJsonArray("data").stream()
        .map(JsonObject.class::cast)
        .filter(e -> "ops@example.com".equals(e.getJsonObject("actor").getString("email")))
        .toList();
  }

  /** Waits for the request's settlement and returns its cost in credits as the page writes it. */
  private String awaitCharged() {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> !gateway.usageRows(account).isEmpty());
    return new BigDecimal(gateway.usageRows(account).getJsonObject(0).getValue("cost_credits").toString())
        .stripTrailingZeros().toPlainString();
  }
}
