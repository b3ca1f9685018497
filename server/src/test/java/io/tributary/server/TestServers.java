package io.tributary.server;

import io.tributary.testkit.Fixtures;
import io.tributary.testkit.TestKafka;
import java.nio.file.Path;

/** Whole servers for tests. */
final class TestServers {

  private TestServers() {}

  /** All roles on the shared test broker, with topics of their own and the example model. */
  static SyncServer onSharedBroker(Path data) {
    return SyncServer.start(
        new SyncServer.Options(
            data,
            Main.loadModel(Fixtures.exampleModel()),
            "127.0.0.1",
            0,
            TestKafka.bootstrap(),
            TestKafka.freshTopics(3)));
  }
}
