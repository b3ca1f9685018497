package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.admin.AdminRole;
import io.tributary.core.admin.AdminUser;
import io.tributary.kafka.AdminUserStore;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.Topics;
import io.tributary.testkit.TestKafka;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin users topic as a port's store of users, on a real broker. */
class AdminUserStoreTest {

  private Topics topics;
  private AdminUserStore store;

  @BeforeEach
  void follow() throws Exception {
    topics = TestKafka.freshTopics(1);
    SyncServer.createTopics(TestKafka.bootstrap(), topics);
    store = AdminUserStore.follow(TestKafka.bootstrap(), topics, "admin-users-test");
    assertThat(store.awaitLoaded(Duration.ofSeconds(30))).isTrue();
  }

  @AfterEach
  void close() throws InterruptedException {
    store.close();
  }

  private static AdminUser admin(String name, String hash) {
    return new AdminUser(name, AdminRole.ADMIN, hash, false, 0);
  }

  @Test
  void aChangeBuiltFromWhatARequestReadDoesNotUndoAChangeMadeMeanwhile() throws Exception {
    AdminUser read = admin("mallory", "h1");
    store.put(read);
    store.put(admin("ops", "h0"));
    store.remove("mallory"); // Another admin removes her while her request works.

    assertThatThrownBy(() -> store.put(admin("mallory", "h2"), Optional.of(read)))
        .isInstanceOf(AdminUserStore.ChangedMeanwhile.class);
    assertThat(store.users().user("mallory")).isEmpty();
    assertThatThrownBy(() -> store.put(admin("ops", "h3"), Optional.empty()))
        .as("adding a name that exists")
        .hasMessage("there is a user ops already");
    assertThat(store.put(admin("ops", "h3"), Optional.of(admin("ops", "h0"))).user("ops"))
        .contains(admin("ops", "h3"));
  }

  @Test
  void twoPortsRemovingTheLastTwoAdminsAtOnceLeaveOne() throws Exception {
    store.put(admin("x", "hx"));
    store.put(admin("y", "hy"));
    try (KafkaProducer<String, byte[]> otherPort =
        new KafkaProducer<>(KafkaSettings.producer(TestKafka.bootstrap(), "other-port"))) {
      // Another port removes x; this one removes y before or after it has read that.
      otherPort.send(new ProducerRecord<>(topics.adminUsers(), 0, "x", null)).get();
      assertThatThrownBy(() -> store.remove("y")).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(store.users().user("y")).contains(admin("y", "hy"));
  }

  @Test
  void aNewStoreReadsEveryUserBackAndSkipsWhatItCannotRead() throws Exception {
    store.put(admin("ops", "h0"));
    store.put(new AdminUser("eve", AdminRole.VIEWER, "h1", true, 42));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(KafkaSettings.producer(TestKafka.bootstrap(), "junk"))) {
      producer.send(new ProducerRecord<>(topics.adminUsers(), 0, "junk", new byte[] {1})).get();
    }
    try (AdminUserStore again =
        AdminUserStore.follow(TestKafka.bootstrap(), topics, "admin-users-again")) {
      assertThat(again.awaitLoaded(Duration.ofSeconds(30))).isTrue();
      assertThat(again.users().all())
          .containsOnlyKeys("eve", "ops")
          .containsEntry("eve", new AdminUser("eve", AdminRole.VIEWER, "h1", true, 42));
    }
  }
}
