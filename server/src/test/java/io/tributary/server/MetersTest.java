package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.tributary.core.auth.Admission;
import io.tributary.gateway.GatewayConfig;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.TestKafka;
import java.nio.file.Path;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stopped server's meters leave the registry: a scrape never shows a role frozen. */
class MetersTest {

  @TempDir Path data;

  @Test
  void everyRoleRemovesItsMetersWhenItStops() {
    int sequencers = count("tributary.sequencer.lag");
    int materializers = count("tributary.materializer.lag");
    String gatewayId;
    try (SyncServer server =
        SyncServer.start(
            new SyncServer.Options(
                data,
                Main.loadModel(Fixtures.exampleModel()),
                "127.0.0.1",
                0,
                TestKafka.bootstrap(),
                TestKafka.freshTopics(1),
                GatewayConfig.DEFAULT_IDLE_TIMEOUT,
                Admission.UNSECURED))) {
      gatewayId = server.gateway().id();
      assertThat(count("tributary.sequencer.lag")).isEqualTo(sequencers + 1);
      assertThat(count("tributary.materializer.lag")).isEqualTo(materializers + 1);
      assertThat(taggedWithGateway(gatewayId)).isNotEmpty();
    }

    assertThat(count("tributary.sequencer.lag")).isEqualTo(sequencers);
    assertThat(count("tributary.materializer.lag")).isEqualTo(materializers);
    assertThat(taggedWithGateway(gatewayId)).isEmpty();
  }

  private static int count(String name) {
    return Metrics.globalRegistry.find(name).meters().size();
  }

  private static Collection<Meter> taggedWithGateway(String id) {
    return Metrics.globalRegistry.find("tributary.gateway.connections").tag("gateway", id).meters();
  }
}
