package io.tributary.server;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The admin console's pages as a browser test reaches them: signed in or at the login form. */
final class Console {

  static final Duration PATIENCE = Duration.ofSeconds(30);

  private Console() {}

  /** Opens {@code fragment} (e.g. {@code #status}), signing in as {@code user} if asked to. */
  static void open(
      Browser browser, AdminServer admin, String fragment, String user, String password) {
    browser.driver().get("http://127.0.0.1:" + admin.port() + "/" + fragment);
    await().atMost(PATIENCE).until(() -> present(browser, "form.login") || signedIn(browser));
    if (!signedIn(browser)) {
      signIn(browser, user, password);
      await().atMost(PATIENCE).until(() -> signedIn(browser));
    }
  }

  /** Opens {@code fragment} as the test admin port's admin. */
  static void open(Browser browser, AdminServer admin, String fragment) {
    open(browser, admin, fragment, TestAdmin.USER, TestAdmin.PASSWORD);
  }

  /** Fills the login form and sends it. */
  static void signIn(Browser browser, String user, String password) {
    await().atMost(PATIENCE).until(() -> present(browser, "form.login input[name=name]"));
    type(browser, "name", user);
    type(browser, "password", password);
    browser.driver().findElement(By.cssSelector("form.login button[type=submit]")).click();
  }

  static boolean signedIn(Browser browser) {
    return present(browser, "#who button.logout");
  }

  static boolean present(Browser browser, String css) {
    return !browser.driver().findElements(By.cssSelector(css)).isEmpty();
  }

  /** The text of the first element {@code css} selects; empty if there is none. */
  static String text(Browser browser, String css) {
    List<WebElement> found = browser.driver().findElements(By.cssSelector(css));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  static void type(Browser browser, String name, String text) {
    WebElement field = browser.driver().findElement(By.name(name));
    field.clear();
    field.sendKeys(text);
  }
}
