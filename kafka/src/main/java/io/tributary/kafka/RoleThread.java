package io.tributary.kafka;

import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;

/**
 * The main loop of a role on its own thread. It runs {@code body} until closed; a body that fails
 * is logged and, after a pause, run again from the start, so that a role rebuilds what it needs
 * from Kafka instead of carrying on in a state it cannot trust.
 */
public final class RoleThread implements AutoCloseable {

  /** One attempt: opens its clients, works while {@link #running()}, closes them. */
  public interface Body {
    void run() throws InterruptedException;
  }

  private static final long PAUSE_MILLIS = 1_000;

  private final Logger log;
  private final String failure;
  private final Body body;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile Consumer<?, ?> wakeOnClose;

  /**
   * @param failure what the log says when an attempt fails, e.g. "replaying history"
   */
  public RoleThread(String name, Logger log, String failure, Body body) {
    this.log = log;
    this.failure = failure;
    this.body = body;
    this.thread = new Thread(this::loop, name);
  }

  public RoleThread start() {
    thread.start();
    return this;
  }

  public boolean running() {
    return running;
  }

  /** The consumer the body is blocked in, woken up by {@link #close()}. */
  public void wakeOnClose(Consumer<?, ?> consumer) {
    this.wakeOnClose = consumer;
  }

  private void loop() {
    try {
      while (running) {
        try {
          body.run();
        } catch (WakeupException e) {
          // close() was called.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (RuntimeException e) {
          log.error("{} failed; {} after a pause", thread.getName(), failure, e);
          pause();
        }
      }
    } finally {
      stopped.countDown();
    }
  }

  private void pause() {
    try {
      Thread.sleep(PAUSE_MILLIS); // Never a tight loop against a broker that is down.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      return;
    }
    Consumer<?, ?> consumer = wakeOnClose;
    if (consumer != null) {
      consumer.wakeup();
    }
    stopped.await();
  }
}
