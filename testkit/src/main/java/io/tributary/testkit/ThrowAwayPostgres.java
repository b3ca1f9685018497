package io.tributary.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of its own on loopback, from the binaries of Debian's {@code postgresql}
 * package: created in a temporary directory, started on a free port with durability off (it is
 * thrown away), one database made, everything removed on close. PostgreSQL refuses to run as root:
 * as root, its programs run as the package's {@code postgres} user.
 */
public final class ThrowAwayPostgres implements AutoCloseable {

  private static final Path DEBIAN = Path.of("/usr/lib/postgresql");
  private static final String USER = "tributary";

  private final Path bin;
  private final Path directory;
  private final int port;

  private ThrowAwayPostgres(Path bin, Path directory, int port) {
    this.bin = bin;
    this.directory = directory;
    this.port = port;
  }

  /** The newest installed version's programs, if PostgreSQL is installed. */
  public static Optional<Path> binaries() {
    if (!Files.isDirectory(DEBIAN)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(DEBIAN)) {
      return versions
          .map(version -> version.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
          .max(Comparator.comparing(bin -> versionOf(bin)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Starts a new cluster with one database, {@code database}. */
  public static ThrowAwayPostgres start(String database) {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException("PostgreSQL is missing"));
    try {
      Path directory = Files.createTempDirectory("tributary-pg-");
      ThrowAwayPostgres postgres = new ThrowAwayPostgres(bin, directory, freePort());
      postgres.create(database);
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void create(String database) throws IOException {
    if (asRoot()) {
      run(List.of("chown", "postgres:postgres", directory.toString()), false);
    }
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data(),
            "-U",
            USER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale"),
        true);
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data(),
            "-l",
            directory.resolve("postgres.log").toString(),
            "-w",
            "-o",
            "-c listen_addresses=127.0.0.1 -p "
                + port
                + " -k "
                + directory
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start"),
        true);
    run(
        List.of(
            bin.resolve("createdb").toString(),
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-U",
            USER,
            database),
        false);
  }

  /** The JDBC URL of {@code database}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The user every connection uses (trusted, no password). */
  public String user() {
    return USER;
  }

  public int port() {
    return port;
  }

  private String data() {
    return directory.resolve("data").toString();
  }

  /** Runs a program to its end; {@code server} ones run as {@code postgres} when this is root. */
  private void run(List<String> program, boolean server) throws IOException {
    List<String> command = new ArrayList<>();
    if (server && asRoot()) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.addAll(program);
    Path output = Files.createTempFile("tributary-pg-command", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not end in 120 s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed with "
                + process.exitValue()
                + ":\n"
                + Files.readString(output));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Stops the cluster at once (open connections are cut) and removes it. */
  @Override
  public void close() throws IOException {
    try {
      run(
          List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "fast", "-w", "stop"),
          true);
    } finally {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
