package io.tributary.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Tributary role in its own JVM, started from this JVM's class path: {@code sync-server
 * gateway|sequencer|materializer ...}. Its output goes to a log file for the test to show.
 */
public final class RoleProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private RoleProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static RoleProcess start(Path logDirectory, String name, String... args) {
    return startMain(logDirectory, name, "io.tributary.server.Main", args);
  }

  /** Like {@link #start}, with these JVM options (system properties for fault injection, say). */
  public static RoleProcess startWith(
      Path logDirectory, String name, List<String> jvmOptions, String... args) {
    return startJvm(null, logDirectory, name, jvmOptions, "io.tributary.server.Main", args);
  }

  /**
   * Like {@link #start}, but logging as the shipped server does (its {@code logback.xml}, not the
   * tests' layout): for tests that read the log as an operator would.
   */
  public static RoleProcess startAsShipped(Path logDirectory, String name, String... args) {
    return startAsShippedIn(null, logDirectory, name, args);
  }

  /** Like {@link #startAsShipped}, in {@code workingDirectory} (null: this JVM's). */
  public static RoleProcess startAsShippedIn(
      Path workingDirectory, Path logDirectory, String name, String... args) {
    java.net.URL shipped = RoleProcess.class.getResource("/logback.xml");
    if (shipped == null) {
      throw new IllegalStateException("logback.xml is not on the class path");
    }
    return startJvm(
        workingDirectory,
        logDirectory,
        name,
        List.of("-Dlogback.configurationFile=" + shipped),
        "io.tributary.server.Main",
        args);
  }

  /** Runs {@code mainClass} of this JVM's class path in its own JVM. */
  public static RoleProcess startMain(
      Path logDirectory, String name, String mainClass, String... args) {
    return startJvm(null, logDirectory, name, List.of(), mainClass, args);
  }

  /** Like {@link #startMain}, with these JVM options (a larger heap, say). */
  public static RoleProcess startMainWith(
      Path logDirectory, String name, List<String> jvmOptions, String mainClass, String... args) {
    return startJvm(null, logDirectory, name, jvmOptions, mainClass, args);
  }

  private static RoleProcess startJvm(
      Path workingDirectory,
      Path logDirectory,
      String name,
      List<String> jvmOptions,
      String mainClass,
      String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return launch(workingDirectory, logDirectory, name, command);
  }

  /**
   * Runs a program of the build as a user would, {@code ./sync-server ...} say: with its own JVM
   * options, not this JVM's class path. A program that {@code exec}s its JVM is signalled itself.
   */
  public static RoleProcess startProgram(Path logDirectory, String name, List<String> command) {
    return launch(null, logDirectory, name, command);
  }

  private static RoleProcess launch(
      Path workingDirectory, Path logDirectory, String name, List<String> command) {
    try {
      Files.createDirectories(logDirectory);
      Path log = logDirectory.resolve(name + ".log");
      Process process =
          new ProcessBuilder(command)
              .directory(workingDirectory == null ? null : workingDirectory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new RoleProcess(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** The process's output so far. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** SIGSTOP: the process freezes, as a long GC pause or a cut-off machine would. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT: the frozen process resumes where it was. */
  public void resume() {
    signal("CONT");
  }

  /** Waits for the process to end by itself; returns its exit code. */
  public int awaitExit(java.time.Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("still running after " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook, no goodbye. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  private void signal(String signal) {
    try {
      int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid() + " exited " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy(); // SIGTERM: the role shuts down cleanly.
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  /** A port that was free a moment ago, for a role that must listen on a known port. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
