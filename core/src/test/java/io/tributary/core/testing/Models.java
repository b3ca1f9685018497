package io.tributary.core.testing;

import io.tributary.core.model.Model;
import io.tributary.core.model.ModelParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The models of the repository's examples, for tests. */
public final class Models {

  private Models() {}

  /** {@code examples/tasks/objectbox-model.json}: a Task with text, done, priority, checklist. */
  public static Model tasks() {
    Path file = repoFile("examples/tasks/objectbox-model.json");
    try {
      return ModelParser.parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path repoFile(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found");
  }
}
