package io.tributary.examples.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.Main;
import io.tributary.server.SyncServer;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.TestKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two devices with the tasks app, syncing through a real server, one of them offline at first. */
class TasksAppTest {

  @TempDir Path temp;
  private SyncServer server;

  @BeforeEach
  void startServer() throws Exception {
    server =
        SyncServer.start(
            new SyncServer.Options(
                temp.resolve("server"),
                Main.loadModel(Fixtures.exampleModel()),
                "127.0.0.1",
                0,
                TestKafka.bootstrap(),
                TestKafka.freshTopics(1)));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void twoDevicesShareTheirTasksEvenOneAddedOffline() {
    String added = tasks("laptop", "add", "buy milk", "--offline");
    assertThat(added).contains("added").contains("offline: 1 change(s) waiting");
    long id = idIn(added);

    assertThat(tasks("laptop", "sync")).contains("synced");
    assertThat(tasks("phone", "list")).contains("[ ] " + id + "  buy milk");

    assertThat(tasks("phone", "done", Long.toString(id))).contains("done " + id);
    assertThat(tasks("laptop", "list")).contains("[x] " + id + "  buy milk");
  }

  @Test
  void anUnknownTaskIsOneReadableLine() {
    StringWriter err = new StringWriter();
    int code =
        TasksApp.run(
            new String[] {"done", "12345", "--offline", "--data", temp.resolve("x").toString()},
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString().strip()).isEqualTo("tasks: there is no task 12345 here");
  }

  private String tasks(String device, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data";
    all[args.length + 1] = temp.resolve(device).toString();
    all[args.length + 2] = "--server";
    all[args.length + 3] = "ws://127.0.0.1:" + server.port();
    StringWriter out = new StringWriter();
    int code = TasksApp.run(all, new PrintWriter(out, true), new PrintWriter(out, true));
    assertThat(code).as(out.toString()).isZero();
    return out.toString();
  }

  private static long idIn(String output) {
    Matcher matcher = Pattern.compile("added (\\d+)").matcher(output);
    assertThat(matcher.find()).as(output).isTrue();
    return Long.parseLong(matcher.group(1));
  }
}
