package io.tributary.server;

import io.tributary.server.SyncServer.Role;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code sync-server} command: all roles in one process, or one role alone with a subcommand.
 * Every command takes the same settings ({@link SettingOptions}) and starts the same way ({@link
 * Startup}).
 */
@Command(
    name = "sync-server",
    versionProvider = Main.Version.class,
    description = "Runs the Tributary sync server: all roles in one process by default.",
    subcommands = {
      Main.GatewayCommand.class,
      Main.SequencerCommand.class,
      Main.MaterializerCommand.class,
      ExportCommand.class
    })
public final class Main implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger("SyncServer");

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Shows this help and exits.")
  boolean help;

  // -v as ObjectBox's sync-server has it (picocli's own is -V).
  @Option(
      names = {"-v", "--version"},
      versionHelp = true,
      description = "Shows the version and exits.")
  boolean version;

  @Mixin SettingOptions settings = new SettingOptions();

  /** The version of this build, from the version file Maven writes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Tributary sync-server " + text()};
    }

    /** The version number, e.g. 0.1.0. */
    static String text() {
      java.util.Properties properties = new java.util.Properties();
      try (var in = Main.class.getResourceAsStream("/tributary-version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        // Then the version is unknown.
      }
      return properties.getProperty("version", "(unknown version)");
    }
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command; returns its exit code. */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(
        (error, cmd, parsed) -> {
          // One readable line, never a stack trace, for an operator's mistake. It goes to the log
          // (standard output) only: printed twice it would read as two errors.
          LOG.error("{}", oneLine(error));
          return 1;
        });
    commandLine.setParameterExceptionHandler(
        (error, args1) -> {
          CommandLine cmd = error.getCommandLine();
          cmd.getErr().println(error.getMessage());
          cmd.getErr()
              .println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more.");
          return 2;
        });
    return commandLine.execute(args);
  }

  /** An error as one line: its message, or its type when it has none. */
  static String oneLine(Throwable error) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      message = error.getClass().getSimpleName();
    }
    return message.replaceAll("\\s*\\R\\s*", " ");
  }

  @Override
  public Integer call() throws Exception {
    return new Startup(settings, EnumSet.allOf(Role.class)).run();
  }

  public static io.tributary.core.model.Model loadModel(java.nio.file.Path file) {
    return Startup.loadModel(file);
  }

  /** A role alone: the same settings, the admin port, and the role. */
  abstract static class RoleCommand implements Callable<Integer> {
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Shows this help and exits.")
    boolean help;

    @Mixin SettingOptions settings = new SettingOptions();

    abstract Set<Role> roles();

    @Override
    public Integer call() throws Exception {
      return new Startup(settings, roles()).run();
    }
  }

  @Command(name = "gateway", description = "Runs a gateway alone, on an existing Kafka cluster.")
  static final class GatewayCommand extends RoleCommand {
    @Override
    Set<Role> roles() {
      return EnumSet.of(Role.GATEWAY);
    }
  }

  @Command(
      name = "sequencer",
      description = "Runs a sequencer alone, on an existing Kafka cluster.")
  static final class SequencerCommand extends RoleCommand {
    @Override
    Set<Role> roles() {
      return EnumSet.of(Role.SEQUENCER);
    }
  }

  @Command(
      name = "materializer",
      description = "Runs a materializer alone, on an existing Kafka cluster.")
  static final class MaterializerCommand extends RoleCommand {
    @Override
    Set<Role> roles() {
      return EnumSet.of(Role.MATERIALIZER);
    }
  }
}
