package io.tributary.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.admin.AdminRole;
import io.tributary.core.admin.AdminUser;
import io.tributary.core.admin.AdminUsers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port's users, kept in a compacted topic ({@code <prefix>.admin-users}, one partition,
 * keyed by name, JSON values, a tombstone removes a user) that every admin port of a cluster
 * follows: a user added on one port signs in on all of them. A change waits until this port has
 * read it back, so what a port wrote, it shows.
 */
public final class AdminUserStore implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AdminUserStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrap;
  private final TopicPartition partition;
  private final RoleThread thread;
  private final Object monitor = new Object();
  private volatile KafkaProducer<String, byte[]> producer; // Made at the first change.
  private AdminUsers users = AdminUsers.NONE;
  private long readUpTo =
      -1; // The offset the follower reads next; -1 until it has read to the end.

  private AdminUserStore(String bootstrap, Topics topics, String clientId) {
    this.bootstrap = bootstrap;
    this.partition = new TopicPartition(topics.adminUsers(), 0);
    this.thread = new RoleThread(clientId, LOG, "reading the admin users again", this::read);
  }

  /** Follows the users topic of {@code topics} until closed. */
  public static AdminUserStore follow(String bootstrap, Topics topics, String clientId) {
    AdminUserStore store = new AdminUserStore(bootstrap, topics, clientId);
    store.thread.start();
    return store;
  }

  /** The users as this port knows them now. */
  public AdminUsers users() {
    synchronized (monitor) {
      return users;
    }
  }

  /** Waits until it has read every user the topic held when it started. */
  public boolean awaitLoaded(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (readUpTo < 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
      return true;
    }
  }

  /**
   * Adds or replaces {@code user}, under the rules of {@link AdminUsers#with}, whatever it was.
   *
   * @throws IllegalArgumentException if the rules refuse it; nothing is written
   */
  public synchronized AdminUsers put(AdminUser user) throws InterruptedException {
    return write(user.name(), users -> users.with(user), encode(user));
  }

  /**
   * Adds or replaces {@code user} if the user of its name is still {@code expected} (empty: there
   * is none): a change built from what a request read does not undo a change made meanwhile, such
   * as the user's removal.
   *
   * @throws ChangedMeanwhile if it is not; nothing is written
   */
  public synchronized AdminUsers put(AdminUser user, Optional<AdminUser> expected)
      throws InterruptedException {
    if (!users().user(user.name()).equals(expected)) {
      throw new ChangedMeanwhile(
          expected.isEmpty()
              ? "there is a user " + user.name() + " already"
              : "the user " + user.name() + " was changed or removed meanwhile; look again");
    }
    return put(user);
  }

  /**
   * Removes the user {@code name}, under the rules of {@link AdminUsers#without}.
   *
   * @throws IllegalArgumentException if there is no such user or it is the last admin
   */
  public synchronized AdminUsers remove(String name) throws InterruptedException {
    return write(name, users -> users.without(name), null);
  }

  /** A conditional change found the user other than expected. */
  public static final class ChangedMeanwhile extends RuntimeException {
    ChangedMeanwhile(String message) {
      super(message);
    }
  }

  /**
   * Writes {@code value} for {@code name} if {@code rules} allow it, and waits until it has read it
   * back. The rules see this port's users only: if two ports removed (or demoted) the last two
   * admins at once, the one that finds no admin left writes its user back.
   */
  private AdminUsers write(String name, UnaryOperator<AdminUsers> rules, byte[] value)
      throws InterruptedException {
    Optional<AdminUser> before = users().user(name);
    rules.apply(users());
    AdminUsers after = send(name, value);
    boolean adminLeft =
        after.all().values().stream().anyMatch(user -> user.role() == AdminRole.ADMIN);
    if (!adminLeft && before.filter(user -> user.role() == AdminRole.ADMIN).isPresent()) {
      send(name, encode(before.get()));
      LOG.warn("Admin user {} written back: another admin port removed the other admins", name);
      throw new IllegalArgumentException(
          name + " stays an admin: the other admins were removed meanwhile");
    }
    return after;
  }

  private AdminUsers send(String name, byte[] value) throws InterruptedException {
    long offset;
    try {
      offset =
          producer()
              .send(new ProducerRecord<>(partition.topic(), 0, name, value))
              .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .offset();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot write the admin user " + name + ": " + e.getCause().getMessage(), e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot write the admin user " + name + ": Kafka is silent");
    }
    long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
    synchronized (monitor) {
      while (readUpTo <= offset) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "the admin user " + name + " was written but not read back in time");
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
      return users;
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "admin-users"));
    }
    return producer;
  }

  private void read() {
    try (KafkaConsumer<String, byte[]> consumer = new TailingConsumer(bootstrap, "admin-users")) {
      thread.wakeOnClose(consumer);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), WRITE_TIMEOUT).get(partition);
      AdminUsers read = AdminUsers.NONE;
      while (thread.running()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          read = apply(read, record);
        }
        long position = consumer.position(partition);
        if (position >= end) {
          synchronized (monitor) {
            users = read;
            readUpTo = position;
            monitor.notifyAll();
          }
        }
      }
    }
  }

  private static AdminUsers apply(AdminUsers users, ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return users;
    }
    if (record.value() == null) {
      return users.applied(record.key(), null);
    }
    try {
      return users.applied(record.key(), decode(record.value()));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Skipped an unreadable admin user record at offset {}: {}",
          record.offset(),
          e.getMessage());
      return users;
    }
  }

  static byte[] encode(AdminUser user) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("name", user.name())
            .put("role", user.role().label())
            .put("passwordHash", user.passwordHash())
            .put("mustChangePassword", user.mustChangePassword())
            .put("changedAt", user.changedAt());
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  static AdminUser decode(byte[] value) throws IOException {
    JsonNode node = JSON.readTree(value);
    return new AdminUser(
        node.path("name").asText(null),
        AdminRole.parse(node.path("role").asText()),
        node.path("passwordHash").asText(null),
        node.path("mustChangePassword").asBoolean(false),
        node.path("changedAt").asLong(0));
  }

  @Override
  public void close() throws InterruptedException {
    thread.close();
    KafkaProducer<String, byte[]> made = producer;
    if (made != null) {
      made.close(Duration.ofSeconds(5));
    }
  }
}
