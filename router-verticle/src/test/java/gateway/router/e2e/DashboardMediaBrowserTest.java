package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.models.images.ImageGenerateParams;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The customer dashboard's usage outcome filter, the keys' last use and the media page, in a real browser against
 * real video jobs and an image request through the fake upstream (screenshots in target/screenshots/).
 */
@ExtendWith(VertxExtension.class)
class DashboardMediaBrowserTest extends VideoTestBase {
  private static final String PAINTER = "painter";
  private Browser browser;

  @BeforeEach
  void setUp(Vertx vertx) {
    Browser.requireInstalled();
    start(vertx, env -> env);
    ImagesTest.imageModel(gateway, PAINTER, "fake-openai", ImagesTest.UPSTREAM,
        new JsonObject().put("1024x1024", 4), new JsonObject());
  }

  @AfterEach
  void close() {
    if (browser != null) {
      browser.screenshot("last");
      browser.close();
    }
  }

  @Test
  @DisplayName("a customer sees when each key was last used, filters usage by outcome on the server, and finds the "
      + "video jobs (a link to the stored file of the completed one, the failed one free) and image requests")
  void usageKeysAndMedia() {
    gateway.fake.script(SORA_UPSTREAM, Behavior.videoJob().endsAfterPolls(1));
    gateway.fake.script(WAN_UPSTREAM, Behavior.videoJob().jobFails("moderation_blocked", "blocked by moderation"));
    gateway.fake.script(ImagesTest.UPSTREAM, Behavior.images());
    String made = submit(SORA, "4");
    String refused = submit(WAN, "5");
    assertThat(awaitEnded(made).body().getString("status")).isEqualTo("completed");
    assertThat(awaitEnded(refused).body().getString("status")).isEqualTo("failed");
    String painterKey = gateway.admin.ok("POST", "/admin/accounts/" + customer.accountId() + "/keys",
        new JsonObject().put("name", "images").put("models", new JsonArray().add(PAINTER))).getString("key");
    gateway.sdk(painterKey).images().generate(ImageGenerateParams.builder().model(PAINTER).prompt("a lighthouse")
        .size("1024x1024").build());
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> gateway.usageRows(customer.accountId()).size() == 3);

    browser = Browser.open("dashboard-media");
    String invitation = SelfServiceUsers.invite(gateway, customer.accountId(), "ann@example.com", "owner")
        .getJsonObject("invitation").getString("url");
    browser.go(gateway.baseUrl() + invitation);
    browser.type("input[name=display_name]", "Ann");
    browser.type("input[name=password]", SelfServiceUsers.PASSWORD);
    browser.type("input[name=password2]", SelfServiceUsers.PASSWORD);
    browser.click("form[data-test=link-form] button[type=submit]");
    browser.find("[data-test=available] .value");

    browser.click("a[data-page=keys]");
    WebElement used = browser.findWithText("tbody tr", "images");
    assertThat(used.findElement(org.openqa.selenium.By.cssSelector("[data-test=last-used]")).getTagName())
        .isEqualTo("time");
    browser.findWithText("tbody tr", "test");
    browser.screenshot("keys-last-used");

    browser.click("a[data-page=usage]");
    browser.findWithText("[data-test=total-requests] .value", "3");
    new Select(browser.find("select[name=outcome]")).selectByValue("failed");
    browser.findWithText("[data-test=total-requests] .value", "1");
    browser.waitUntil("only the failed video's row", () -> rows().size() == 1 && rows().get(0).contains(WAN));
    assertThat(rows().get(0)).contains("Failed (free)");
    assertThat(browser.find("[data-test=csv]").getAttribute("href")).contains("outcome=failed");
    browser.screenshot("usage-failed");
    new Select(browser.find("select[name=outcome]")).selectByValue("completed");
    browser.findWithText("[data-test=total-requests] .value", "2");
    browser.waitUntil("the video's and the image's rows", () -> rows().size() == 2
        && rows().stream().noneMatch(r -> r.contains(WAN)));

    browser.click("a[data-page=media]");
    WebElement completed = browser.findWithText("tbody tr", "Completed");
    assertThat(completed.getText()).contains(SORA).contains("a cat surfing at dawn").contains("720P").contains("4");
    String file = completed.findElement(org.openqa.selenium.By.cssSelector("a[data-test=video-file]"))
        .getAttribute("href");
    assertThat(file).contains("/media/");
    assertThat(http.fetch(file).statusCode()).isEqualTo(200);
    WebElement failed = browser.findWithText("tbody tr", "blocked by moderation");
    assertThat(failed.getText()).contains(WAN).contains("Failed (free)");
    WebElement image = browser.findWithText("[data-test=images] tbody tr", PAINTER);
    assertThat(image.getText()).contains("images").contains("4");
    browser.screenshot("media");
    browser.phoneWidth(true);
    browser.driver.navigate().refresh();
    browser.findWithText("tbody tr", "blocked by moderation");
    browser.screenshot("media-phone");
    browser.phoneWidth(false);
  }

  private String submit(String model, String seconds) {
    VideoClient.Reply created = http.post("/videos", customer.key(), new JsonObject().put("model", model)
        .put("prompt", "a cat surfing at dawn").put("seconds", seconds));
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(200);
    return created.body().getString("id");
  }

  private List<String> rows() {
    return browser.all("tbody tr").stream().map(WebElement::getText).toList();
  }
}
