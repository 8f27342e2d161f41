package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The operator console's channel health and reports in headless Chromium: the last hour's error rate per
 * channel, the Test button on a good and a broken channel, and the revenue tables. Skipped without Chromium.
 */
@ExtendWith(VertxExtension.class)
class OperatorConsoleBrowserTest {
  private static final String WRONG_KEY = "sk-wrong-key-for-the-broken-channel";
  private GatewayUnderTest gateway;
  private Browser browser;

  @BeforeEach
  void start(Vertx vertx) {
    Browser.requireInstalled();
    gateway = GatewayUnderTest.start(vertx);
    gateway.openAiModel("model-a", "a", GatewayUnderTest.price("2", "8", null));
    gateway.fakeChannel("broken-openai", new JsonObject().put("api_key", WRONG_KEY));
  }

  @AfterEach
  void close() {
    if (browser != null) {
      browser.screenshot("last");
      browser.close();
    }
  }

  @Test
  @DisplayName("the channel list shows each channel's error rate of the last hour and tests a channel on a click; "
      + "the reports page groups revenue by day, model, channel and account")
  void channelHealthAndReports() {
    GatewayUnderTest.Customer customer = gateway.customer("10", "*");
    gateway.fake.script("a", Behavior.reply("fine").usage(1000, 500), Behavior.error(400, "the upstream refused it"),
        Behavior.reply("fine").usage(1000, 500));
    RawHttp http = new RawHttp(gateway.v1());
    assertThat(http.post("/chat/completions", customer.key(), chat()).statusCode()).isEqualTo(200);
    assertThat(http.post("/chat/completions", customer.key(), chat()).statusCode()).isEqualTo(400);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> gateway.usageRowCount(customer.accountId()) == 2);

    String invitation = SelfServiceUsers.invite(gateway, null, "ops@example.com", "admin")
        .getJsonObject("invitation").getString("url");
    browser = Browser.open("operator-health");
    browser.go(gateway.baseUrl() + invitation);
    browser.type("input[name=password]", SelfServiceUsers.PASSWORD);
    browser.type("input[name=password2]", SelfServiceUsers.PASSWORD);
    browser.click("form[data-test=link-form] button[type=submit]");
    WebElement good = browser.findWithText("tbody tr", "fake-openai");
    assertThat(good.findElement(org.openqa.selenium.By.cssSelector("[data-test=error-rate]")).getText())
        .contains("50").contains("1 of 2");
    assertThat(browser.findWithText("tbody tr", "broken-openai").getText()).contains("no requests");

    // the test sends model a (fake-openai's first route); the broken channel has none, so it names a model
    testIn("fake-openai");
    browser.waitUntil("the good channel's test passed", () -> resultIn("fake-openai").startsWith("OK"));
    assertThat(resultIn("fake-openai")).matches("(?s)OK · [\\d,]+ ms.*");
    testIn("broken-openai");
    browser.waitUntil("the broken channel's test answered", () -> !resultIn("broken-openai").isBlank()
        && !resultIn("broken-openai").contains("testing"));
    assertThat(resultIn("broken-openai")).contains("model");
    gateway.routedModel("model-b", "broken-openai", "b", GatewayUnderTest.price("1", "1", null));
    testIn("broken-openai");
    browser.waitUntil("the broken channel's test failed", () -> resultIn("broken-openai").startsWith("failed (401)"));
    assertThat(browser.driver.getPageSource()).doesNotContain(WRONG_KEY);
    browser.screenshot("channels-tested");
    browser.phoneWidth(true);
    browser.screenshot("channels-tested-phone");
    browser.phoneWidth(false);

    // the operator gives model a's route its provider's cost price in the form; the next request is costed at it
    browser.click("a[data-page=models]");
    browser.findWithText("tbody tr", "model-a").findElement(org.openqa.selenium.By.xpath(".//button[text()='Edit']"))
        .click();
    String form = "form[data-test=model-form] ";
    browser.type(form + "[data-test=routes] tbody tr:nth-child(1) input[name=route_cost_input]", "1");
    browser.type(form + "[data-test=routes] tbody tr:nth-child(1) input[name=route_cost_output]", "2");
    browser.screenshot("model-form-route-cost");
    browser.click(form + "button[type=submit]");
    browser.waitUntil("the model saved", () -> browser.all(form).isEmpty());
    JsonObject cost = gateway.admin.ok("GET", "/admin/models/model-a", null).getJsonArray("routes").getJsonObject(0)
        .getJsonObject("cost");
    assertThat(new java.math.BigDecimal(cost.getValue("input_per_mtok").toString())).isEqualByComparingTo("1");
    assertThat(new java.math.BigDecimal(cost.getValue("output_per_mtok").toString())).isEqualByComparingTo("2");
    gateway.fake.script("a", Behavior.reply("fine").usage(1000, 500));
    assertThat(http.post("/chat/completions", customer.key(), chat()).statusCode()).isEqualTo(200);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> gateway.usageRowCount(customer.accountId()) == 3);

    browser.click("a[data-page=reports]");
    browser.findWithText("[data-test=report-account] tbody tr", "#" + customer.accountId());
    assertThat(browser.find("[data-test=report-channel] tbody").getText()).contains("fake-openai");
    assertThat(browser.find("[data-test=report-model] tbody").getText()).contains("model-a");
    assertThat(browser.find("[data-test=report-day] tbody tr").getText()).contains("3").contains("1");
    assertThat(browser.find("[data-test=report-totals]").getText()).contains("3");
    String charged = new java.math.BigDecimal(gateway.usageCostMicros(customer.accountId()))
        .movePointLeft(6).stripTrailingZeros().toPlainString();
    assertThat(browser.find("[data-test=report-revenue] .value").getText()).isEqualTo(charged);
    // 1,000 tokens in at 1 and 500 out at 2 credits per million: 0.002 upstream; the two earlier rows are uncosted
    assertThat(browser.find("[data-test=report-upstream] .value").getText()).isEqualTo("0.002");
    assertThat(browser.find("[data-test=report-upstream]").getText()).contains("2 requests uncosted");
    String margin = new java.math.BigDecimal(gateway.usageCostMicros(customer.accountId()) - 2_000)
        .movePointLeft(6).stripTrailingZeros().toPlainString();
    assertThat(browser.find("[data-test=report-margin] .value").getText()).isEqualTo(margin);
    WebElement modelRow = browser.findWithText("[data-test=report-model] tbody tr", "model-a");
    assertThat(modelRow.findElement(org.openqa.selenium.By.cssSelector("[data-test=upstream-cost]")).getText())
        .isEqualTo("0.002");
    assertThat(modelRow.findElement(org.openqa.selenium.By.cssSelector("[data-test=margin]")).getText())
        .isEqualTo(margin);
    assertThat(browser.find("[data-test=report-model] thead").getText()).contains("Upstream cost").contains("Margin")
        .contains("Uncosted");
    browser.screenshot("reports");
    browser.phoneWidth(true);
    browser.screenshot("reports-phone");
  }

  @Test
  @DisplayName("an operator makes an image model through the form (two routes, sizes, per-image prices): the API's 400 "
      + "on a size without a price shows beside the prices, and what is saved is exactly what the form said")
  void imageModelThroughTheForm() {
    String form = newModelForm("operator-model-form");
    browser.type(form + "input[name=alias]", "picture-model");
    new Select(browser.find(form + "select[name=type]")).selectByValue("text2image");
    browser.waitUntil("the token prices hidden for an image model", () -> !browser.all(form + "[data-test=token-prices]").get(0).isDisplayed());
    new Select(browser.find(form + "[data-test=routes] tbody tr:nth-child(1) select[name=channel]")).selectByValue("fake-openai");
    browser.type(form + "[data-test=routes] tbody tr:nth-child(1) input[name=upstream_model]", "gpt-image-1");
    browser.type(form + "[data-test=routes] tbody tr:nth-child(1) input[name=route_weight]", "3");
    browser.click(form + "[data-test=add-routes]");
    new Select(browser.find(form + "[data-test=routes] tbody tr:nth-child(2) select[name=channel]")).selectByValue("broken-openai");
    browser.type(form + "[data-test=routes] tbody tr:nth-child(2) input[name=upstream_model]", "dall-e-3");
    browser.type(form + "[data-test=routes] tbody tr:nth-child(2) input[name=route_priority]", "1");
    browser.type(form + "input[name=available_sizes]", "1024x1024, 1536x1024");
    browser.type(form + "input[name=max_n]", "4");
    browser.click(form + "[data-test=add-image-prices]");
    browser.type(form + "[data-test=image-prices] tbody tr:nth-child(1) input[name=price_size]", "1024x1024");
    browser.type(form + "[data-test=image-prices] tbody tr:nth-child(1) input[name=price_per_image]", "4");
    browser.click(form + "button[type=submit]");
    // 1536x1024 is allowed but has no price: the API refuses it, naming price, and the form says so by the prices
    assertThat(browser.find(form + "[data-test=image-prices] + .field-error").getText()).contains("1536x1024");
    browser.screenshot("model-form-refused");

    browser.click(form + "[data-test=add-image-prices]");
    browser.type(form + "[data-test=image-prices] tbody tr:nth-child(2) input[name=price_size]", "1536x1024");
    browser.type(form + "[data-test=image-prices] tbody tr:nth-child(2) input[name=price_per_image]", "6.5");
    browser.click(form + "input[name=listed]");
    browser.click(form + "details summary");
    assertThat(browser.find(form + "[data-test=model-json]").getText()).contains("\"1536x1024\": \"6.5\"");
    browser.screenshot("model-form");
    browser.click(form + "button[type=submit]");
    browser.findWithText("tbody tr", "picture-model");
    browser.screenshot("models");

    JsonObject saved = gateway.admin.ok("GET", "/admin/models/picture-model", null);
    assertThat(saved.getString("type")).isEqualTo("text2image");
    // a route left at the channel's priority or weight stores null for it
    assertThat(saved.getJsonArray("routes")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("channel", "fake-openai").put("model", "gpt-image-1").putNull("priority").put("weight", 3))
        .add(new JsonObject().put("channel", "broken-openai").put("model", "dall-e-3").put("priority", 1).putNull("weight")));
    assertThat(saved.getJsonArray("available_sizes")).isEqualTo(new JsonArray().add("1024x1024").add("1536x1024"));
    assertThat(saved.getInteger("max_n")).isEqualTo(4);
    JsonObject perImage = saved.getJsonObject("price").getJsonObject("per_image");
    assertThat(perImage.fieldNames()).containsExactlyInAnyOrder("1024x1024", "1536x1024");
    assertThat(new java.math.BigDecimal(perImage.getValue("1024x1024").toString())).isEqualByComparingTo("4");
    assertThat(new java.math.BigDecimal(perImage.getValue("1536x1024").toString())).isEqualByComparingTo("6.5");
    assertThat(saved.getBoolean("listed")).isFalse();

    // opened again, the form shows what was saved
    browser.findWithText("tbody tr", "picture-model").findElement(org.openqa.selenium.By.xpath(".//button[text()='Edit']")).click();
    assertThat(browser.all(form + "[data-test=routes] tbody tr")).hasSize(2);
    assertThat(browser.find(form + "input[name=available_sizes]").getAttribute("value")).isEqualTo("1024x1024, 1536x1024");
    browser.screenshot("model-form-reopened");
    browser.phoneWidth(true);
    browser.screenshot("model-form-phone");
    browser.phoneWidth(false);
    // saved again untouched, the definition does not drift
    browser.click(form + "button[type=submit]");
    browser.waitUntil("the dialog closed", () -> browser.all("dialog").isEmpty());
    assertThat(gateway.admin.ok("GET", "/admin/models/picture-model", null)).isEqualTo(saved);
  }

  @Test
  @DisplayName("an operator makes a video model through the form: resolutions, durations, ratios and per-second "
      + "prices are saved as typed; a duration that is not whole seconds is refused beside its field")
  void videoModelThroughTheForm() {
    String form = newModelForm("operator-video-form");
    browser.type(form + "input[name=alias]", "movie-model");
    new Select(browser.find(form + "select[name=type]")).selectByValue("text2video");
    new Select(browser.find(form + "[data-test=routes] tbody tr:nth-child(1) select[name=channel]")).selectByValue("fake-openai");
    browser.type(form + "[data-test=routes] tbody tr:nth-child(1) input[name=upstream_model]", "sora-2");
    browser.type(form + "input[name=available_resolutions]", "720P,1080P");
    browser.type(form + "input[name=available_durations]", "5, 10.5");
    browser.type(form + "input[name=available_ratios]", "16:9, 9:16");
    for (String[] price : new String[][] {{"720P", "10"}, {"1080P", "20"}}) {
      browser.click(form + "[data-test=add-video-prices]");
      browser.type(form + "[data-test=video-prices] tbody tr:last-child input[name=price_resolution]", price[0]);
      browser.type(form + "[data-test=video-prices] tbody tr:last-child input[name=price_per_second]", price[1]);
    }
    browser.click(form + "button[type=submit]");
    assertThat(browser.find(form + "input[name=available_durations] + .field-error").getText()).contains("whole seconds");
    browser.screenshot("video-form-refused");
    browser.type(form + "input[name=available_durations]", "5, 10");
    browser.screenshot("video-form");
    browser.click(form + "button[type=submit]");
    browser.findWithText("tbody tr", "movie-model");

    JsonObject saved = gateway.admin.ok("GET", "/admin/models/movie-model", null);
    assertThat(saved.getString("type")).isEqualTo("text2video");
    assertThat(saved.getJsonArray("available_resolutions")).isEqualTo(new JsonArray().add("720P").add("1080P"));
    assertThat(saved.getJsonArray("available_durations")).isEqualTo(new JsonArray().add(5).add(10));
    assertThat(saved.getJsonArray("available_ratios")).isEqualTo(new JsonArray().add("16:9").add("9:16"));
    JsonObject perSecond = saved.getJsonObject("price").getJsonObject("per_second");
    assertThat(perSecond.fieldNames()).containsExactlyInAnyOrder("720P", "1080P");
    assertThat(new java.math.BigDecimal(perSecond.getValue("1080P").toString())).isEqualByComparingTo("20");
    assertThat(saved.getJsonArray("routes").getJsonObject(0).getString("model")).isEqualTo("sora-2");
  }

  /** Signs an operator in (through an invitation) and opens the new-model dialog; the form's CSS prefix. */
  private String newModelForm(String test) {
    String invitation = SelfServiceUsers.invite(gateway, null, "ops@example.com", "admin")
        .getJsonObject("invitation").getString("url");
    browser = Browser.open(test);
    browser.go(gateway.baseUrl() + invitation);
    browser.type("input[name=password]", SelfServiceUsers.PASSWORD);
    browser.type("input[name=password2]", SelfServiceUsers.PASSWORD);
    browser.click("form[data-test=link-form] button[type=submit]");
    browser.findWithText("tbody tr", "fake-openai");
    browser.click("a[data-page=models]");
    browser.click("[data-test=new-model]");
    return "form[data-test=model-form] ";
  }

  private void testIn(String channel) {
    browser.findWithText("tbody tr", channel)
        .findElement(org.openqa.selenium.By.cssSelector("[data-test=test-channel]")).click();
  }

  private String resultIn(String channel) {
    return browser.findWithText("tbody tr", channel)
        .findElement(org.openqa.selenium.By.cssSelector("[data-test=test-result]")).getText().trim();
  }

  private static String chat() {
    return new JsonObject().put("model", "model-a").put("max_tokens", 20)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }
}
