package io.tributary.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records as objects, queries and change listeners, on a copy that is never connected. */
class TypedApiTest {

  record Task(long id, String text, boolean done, int priority, List<String> checklist) {}

  private static final URI NOWHERE = URI.create("ws://127.0.0.1:1");

  @TempDir Path temp;

  @Test
  void recordsGoInAsObjectsAndComeBackAsRecords() {
    try (SyncClient client = SyncClient.persistent(NOWHERE, "tasks", null, temp)) {
      client.put(new Task(1, "buy milk", false, 2, List.of("oat", "whole")));
      client.put(new Task(2, "call mom", true, 1, List.of()));

      assertThat(client.get(Task.class, 1))
          .contains(new Task(1, "buy milk", false, 2, List.of("oat", "whole")));
      assertThat(client.get(new ObjectKey("Task", 2)).orElseThrow())
          .containsEntry("text", Value.of("call mom"))
          .containsEntry("priority", Value.of(1L));
      assertThat(client.get(Task.class, 3)).isEmpty();
    }
  }

  @Test
  void findFiltersTheObjectsOfOneEntity() {
    try (SyncClient client = new SyncClient(NOWHERE, "tasks")) {
      for (long id = 1; id <= 10; id++) {
        client.put(new Task(id, "task " + id, id % 2 == 0, (int) id, List.of()));
      }
      client.write(tx -> tx.create("Tag", 1).set("Tag", 1, "name", Value.of("home")));

      List<Task> open = client.find(Task.class, task -> !task.done());

      assertThat(open).extracting(Task::id).containsExactly(1L, 3L, 5L, 7L, 9L);
      assertThat(client.objectsOf("Tag")).containsOnlyKeys(1L);
    }
  }

  @Test
  void listenersHearOfTheObjectsOfTheirEntity() {
    try (SyncClient client = new SyncClient(NOWHERE, "tasks")) {
      List<Long> tasks = new CopyOnWriteArrayList<>();
      client.onChange("Task", tasks::add);

      client.put(new Task(7, "x", false, 0, List.of()));
      client.write(tx -> tx.create("Tag", 1));
      client.write(tx -> tx.set("Task", 7, "done", Value.of(true)));

      assertThat(tasks).containsExactly(7L, 7L);
    }
  }
}
