package io.tributary.client;

import java.util.concurrent.ThreadFactory;

/** The client's own threads: named, and daemons, so that they never keep an app's JVM alive. */
final class DaemonThreads {

  private DaemonThreads() {}

  static ThreadFactory named(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
