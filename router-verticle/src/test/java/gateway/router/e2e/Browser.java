package gateway.router.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through Selenium, for the console tests. Uses the machine's
 * {@code chromium} and {@code chromedriver} (Debian: {@code apt-get install chromium chromium-driver};
 * other places: {@code GATEWAY_CHROMIUM} and {@code GATEWAY_CHROMEDRIVER}); without them the test is
 * skipped with a message. Every page a test visits can be saved under {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);

  final ChromeDriver driver;
  private final String test;
  private int shots;

  private Browser(ChromeDriver driver, String test) {
    this.driver = driver;
    this.test = test;
  }

  /** A fresh browser (its own cookies), or the test skipped when Chromium or its driver is missing. */
  static Browser open(String test) {
    requireInstalled();
    String chromium = chromium();
    String driver = chromedriver();
    forgetScreenshots(test);
    ChromeOptions options = new ChromeOptions()
        .setBinary(chromium)
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US",
            "--window-size=1280,900", "--no-first-run", "--disable-extensions");
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(driver).toFile())
        .usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options), test);
  }

  /** The screenshots of an earlier run of the same test, so the folder shows only this run's pages. */
  private static void forgetScreenshots(String test) {
    if (!Files.isDirectory(SCREENSHOTS)) {
      return;
    }
    try (java.util.stream.Stream<Path> old = Files.list(SCREENSHOTS)) {
      for (Path file : old.filter(p -> p.getFileName().toString().startsWith(test + "-")).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Skips the calling test (a JUnit assumption, with how to enable it) when Chromium or its driver is missing. */
  static void requireInstalled() {
    Assumptions.assumeTrue(chromium() != null && chromedriver() != null,
        "Browser tests skipped: no Chromium or chromedriver found. Install them (Debian: apt-get install -y chromium "
            + "chromium-driver) or point GATEWAY_CHROMIUM and GATEWAY_CHROMEDRIVER at them.");
  }

  private static String chromium() {
    return locate("GATEWAY_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  }

  private static String chromedriver() {
    return locate("GATEWAY_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
  }

  private static String locate(String variable, String... candidates) {
    String configured = System.getenv(variable);
    if (configured != null && !configured.isBlank()) {
      return Files.isExecutable(Path.of(configured)) ? configured : null;
    }
    for (String candidate : candidates) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  void go(String url) {
    driver.get(url);
  }

  /** Lets the page's scripts write to and read from the clipboard (headless Chromium asks no one). */
  void allowClipboard(String origin) {
    driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", origin,
        "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
  }

  String clipboard() {
    return (String) ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done('failed: ' + e));");
  }

  WebElement find(String css) {
    return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class)
        .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits until an element matching {@code css} shows {@code text} (e.g. a table row after a reload). */
  WebElement findWithText(String css, String text) {
    return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class)
        .withMessage("an element " + css + " showing \"" + text + "\"").until(d -> d.findElements(By.cssSelector(css)).stream()
        .filter(e -> e.isDisplayed() && e.getText().contains(text)).findFirst().orElse(null));
  }

  void waitUntil(String what, java.util.function.BooleanSupplier condition) {
    // The pages redraw whole tables: an element read while it is replaced is read again.
    new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).withMessage(what)
        .until(d -> condition.getAsBoolean());
  }

  void type(String css, String text) {
    WebElement input = find(css);
    input.clear();
    input.sendKeys(text);
  }

  /** Clicks the element, again if the page redrew it in between. */
  void click(String css) {
    new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).withMessage("clicking " + css)
        .until(d -> {
          find(css).click();
          return true;
        });
  }

  /** Waits for the page to finish its loading text, then saves a PNG named after the test and the page. */
  void screenshot(String page) {
    if (!page.equals("last")) {
      new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.xpath("//main/p[text()='Loading…']")).isEmpty());
    }
    try {
      Files.createDirectories(SCREENSHOTS);
      byte[] png = fullPage();
      Files.write(SCREENSHOTS.resolve(String.format("%s-%02d-%s.png", test, ++shots, page)), png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole page, not only the window: Chromium's capture beyond the viewport, clipped to the content. */
  @SuppressWarnings("unchecked")
  private byte[] fullPage() {
    try {
      Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
      Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
      // The content size leaves out the scrollbar's strip, but the capture lays the page out without a scrollbar
      // (it shows the whole height): clipped to the content size, a tall page lost its right edge.
      Object inner = driver.executeScript("return window.innerWidth;");
      double width = Math.max(((Number) size.get("width")).doubleValue(),
          inner instanceof Number n ? n.doubleValue() : 0);
      double height = Math.min(6000, ((Number) size.get("height")).doubleValue());
      Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
          "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
      return java.util.Base64.getDecoder().decode((String) shot.get("data"));
    } catch (RuntimeException e) {
      return driver.getScreenshotAs(OutputType.BYTES);
    }
  }

  void phoneWidth(boolean phone) {
    driver.manage().window().setSize(phone ? new Dimension(390, 844) : new Dimension(1280, 900));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
