package io.tributary.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven through Selenium WebDriver: Debian's {@code chromium} and {@code
 * chromium-driver}, which {@code .ci/run} installs. Without them, a test that asks for one is
 * skipped, not failed. Never Selenium Manager: it would fetch a driver from the internet.
 *
 * <p>Screenshots go to {@code target/admin-screenshots}, and also to the directory of {@code
 * -Dadmin.screenshots=DIR} (how {@code docs/admin/} gets its pictures).
 */
final class Browser implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** A browser window {@code width} by {@code height} pixels; skips the test without Chromium. */
  static Browser open(int width, int height) {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + DRIVER + ")");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // CI runs as root, where Chromium's sandbox cannot start.
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=" + width + "," + height);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().window().setSize(new Dimension(width, height));
    return new Browser(driver);
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Runs {@code script} in the page; returns what it returns. */
  Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Saves what the window shows as {@code name}.png. */
  void screenshot(String name) {
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    try {
      write(Path.of("target", "admin-screenshots"), name, png);
      String docs = System.getProperty("admin.screenshots");
      if (docs != null && !docs.isBlank()) {
        write(Path.of(docs), name, png);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path directory, String name, byte[] png) throws IOException {
    Files.createDirectories(directory);
    Files.write(directory.resolve(name + ".png"), png);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
