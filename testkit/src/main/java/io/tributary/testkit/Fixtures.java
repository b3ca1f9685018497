package io.tributary.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real ObjectBox files from {@code ../shared/fixtures}, read where they are. A user's clone has no
 * such folder: the tests that need it are then skipped.
 */
public final class Fixtures {

  private Fixtures() {}

  /** The fixture file, or a skipped test if the shared fixtures are not there. */
  public static Path objectboxModel(String name) {
    Path file = sharedFixtures().resolve("objectbox-models").resolve(name);
    Assumptions.assumeTrue(Files.isRegularFile(file), "shared fixture not present: " + file);
    return file;
  }

  private static Path sharedFixtures() {
    // Tests run in a module directory; the fixtures sit beside the repository.
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("../shared/fixtures").normalize();
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return here.resolve("../shared/fixtures");
  }

  /** The project's own example model, found from any module directory. */
  public static Path exampleModel() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("examples/tasks/objectbox-model.json");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("examples/tasks/objectbox-model.json not found");
  }
}
