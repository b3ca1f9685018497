package io.tributary.examples.tasks;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A to-do list that works offline and syncs through a Tributary server. Every command works on the
 * local copy first; then, unless {@code --offline}, it syncs for up to a few seconds and says
 * whether it could.
 */
@Command(
    name = "tasks",
    mixinStandardHelpOptions = true,
    description = "A to-do list that works offline and syncs through a Tributary server.",
    subcommands = {
      TasksApp.Add.class,
      TasksApp.ListTasks.class,
      TasksApp.Done.class,
      TasksApp.Sync.class
    })
public final class TasksApp {

  static final String DATASET = "tasks";
  private static final SecureRandom IDS = new SecureRandom();

  @Option(
      names = "--server",
      defaultValue = "ws://127.0.0.1:9999",
      description = "The sync server (default: ${DEFAULT-VALUE}).",
      scope = CommandLine.ScopeType.INHERIT)
  URI server;

  @Option(
      names = "--data",
      defaultValue = "tasks-data",
      description = "Where this device keeps its copy (default: ${DEFAULT-VALUE}).",
      scope = CommandLine.ScopeType.INHERIT)
  Path data;

  @Option(
      names = "--offline",
      description = "Do not try to sync.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean offline;

  @Option(
      names = "--sync-timeout",
      defaultValue = "5",
      paramLabel = "<seconds>",
      description = "How long to try to sync (default: ${DEFAULT-VALUE}).",
      scope = CommandLine.ScopeType.INHERIT)
  long syncSeconds;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command; returns the exit code. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine command = new CommandLine(new TasksApp());
    command.setOut(out);
    command.setErr(err);
    command.setExecutionExceptionHandler(
        (error, line, parsed) -> {
          err.println("tasks: " + error.getMessage());
          return 1;
        });
    return command.execute(args);
  }

  /** Opens this device's copy, runs {@code work} on it, then syncs unless offline. */
  int withClient(PrintWriter out, ClientWork work) throws Exception {
    try (SyncClient client = SyncClient.persistent(server, DATASET, null, data)) {
      work.run(client);
      if (offline) {
        out.println("(offline: " + client.pendingCount() + " change(s) waiting to sync)");
        return 0;
      }
      client.connect().exceptionally(error -> null);
      if (client.awaitSynced(Duration.ofSeconds(syncSeconds))) {
        out.println("(synced at server version " + client.serverVersion() + ")");
      } else {
        out.println(
            "(could not reach "
                + server
                + ": "
                + client.pendingCount()
                + " change(s) saved, they sync next time)");
      }
      return 0;
    }
  }

  @FunctionalInterface
  interface ClientWork {
    void run(SyncClient client) throws Exception;
  }

  @Command(name = "add", description = "Adds a task.")
  static final class Add implements Callable<Integer> {
    @CommandLine.ParentCommand TasksApp app;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "<text>", description = "What to do.")
    String text;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      // Ids are random: two devices adding offline never pick the same one.
      long id = 1 + (IDS.nextLong() & 0xFFFF_FFFFL);
      return app.withClient(
          out,
          client -> {
            client.write(
                tx ->
                    tx.create("Task", id)
                        .set("Task", id, "text", Value.of(text))
                        .set("Task", id, "done", Value.of(false))
                        .set("Task", id, "dateCreated", Value.of(System.currentTimeMillis())));
            out.println("added " + id + ": " + text);
          });
    }
  }

  @Command(name = "list", description = "Lists the tasks.")
  static final class ListTasks implements Callable<Integer> {
    @CommandLine.ParentCommand TasksApp app;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      int code = app.withClient(out, client -> {});
      try (SyncClient client = SyncClient.persistent(app.server, DATASET, null, app.data)) {
        SortedMap<ObjectKey, SortedMap<String, Value>> objects = client.objects();
        objects.entrySet().stream()
            .filter(entry -> entry.getKey().entity().equals("Task"))
            .sorted((a, b) -> Long.compare(created(a.getValue()), created(b.getValue())))
            .forEach(entry -> out.println(line(entry)));
      }
      return code;
    }

    private static long created(Map<String, Value> task) {
      return task.get("dateCreated") instanceof Value.Int date ? date.value() : 0;
    }

    private static String line(Map.Entry<ObjectKey, SortedMap<String, Value>> task) {
      boolean done = task.getValue().get("done") instanceof Value.Bool bool && bool.value();
      Value text = task.getValue().getOrDefault("text", Value.NULL);
      return (done ? "[x] " : "[ ] ")
          + task.getKey().id()
          + "  "
          + (text instanceof Value.Text t ? t.value() : "");
    }
  }

  @Command(name = "done", description = "Marks a task done.")
  static final class Done implements Callable<Integer> {
    @CommandLine.ParentCommand TasksApp app;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "<id>", description = "The task, as the list shows it.")
    long id;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      return app.withClient(
          out,
          client -> {
            if (!client.objects().containsKey(new ObjectKey("Task", id))) {
              throw new IllegalArgumentException("there is no task " + id + " here");
            }
            client.write(tx -> tx.set("Task", id, "done", Value.of(true)));
            out.println("done " + id);
          });
    }
  }

  @Command(name = "sync", description = "Syncs now and says how it went.")
  static final class Sync implements Callable<Integer> {
    @CommandLine.ParentCommand TasksApp app;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      return app.withClient(spec.commandLine().getOut(), client -> {});
    }
  }
}
