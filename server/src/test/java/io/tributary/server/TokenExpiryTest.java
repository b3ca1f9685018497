package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Value;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.Error;
import io.tributary.schemas.Mark;
import io.tributary.schemas.Refresh;
import io.tributary.schemas.ServerIdent;
import io.tributary.testkit.RawConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tokens that expire mid-session, with and without a REFRESH, and permissions that shrink. */
class TokenExpiryTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration SHORT = Duration.ofSeconds(3);

  private final TestTokens tokens = new TestTokens();

  @RegisterExtension
  final RunningServer server = new RunningServer().withAdmission(tokens.admission(Duration.ZERO));

  @Test
  void aSessionWhoseTokenExpiresGetsTokenExpiredAndIsUnbound() {
    try (RawConnection raw =
        RawConnection.open(server.port(), tokens.token("ada", List.of(), SHORT))) {
      live(raw, 1, "user-ada");

      await().atMost(PATIENCE).until(() -> !raw.received(Error.class).isEmpty());
      Error error = raw.received(Error.class).get(0);
      assertThat(error.getSession()).isEqualTo(1L);
      assertThat(error.getCode()).isEqualTo(ErrorCode.TOKEN_EXPIRED.code());
      assertThat(error.getTryAgain()).isTrue();
      raw.send(new Mark(1L, 7L)); // Unbound: a message for it breaks the protocol.
      await().atMost(PATIENCE).until(() -> raw.closeCode() != null);
    }
  }

  @Test
  void aRefreshBeforeExpiryKeepsTheSessionPastTheFirstTokensExpiry() {
    try (RawConnection raw =
        RawConnection.open(server.port(), tokens.token("ada", List.of(), SHORT))) {
      live(raw, 1, "user-ada");
      raw.send(new Refresh(1L, tokens.token("ada", List.of(), Duration.ofMinutes(5))));

      await()
          .during(SHORT.plusSeconds(2))
          .atMost(SHORT.plusSeconds(10))
          .until(() -> raw.received(Error.class).isEmpty());
      raw.send(new Mark(1L, 7L));
      await()
          .atMost(PATIENCE)
          .until(() -> !raw.received(io.tributary.schemas.Mark.class).isEmpty());
      assertThat(raw.received(Error.class)).isEmpty();
    }
  }

  @Test
  void aRefreshThatNoLongerAllowsADatasetUnbindsItAndKeepsTheOthers() {
    String member = tokens.token("ada", List.of("red"), Duration.ofMinutes(5));
    try (RawConnection raw = RawConnection.open(server.port(), member)) {
      live(raw, 1, "team-red");
      live(raw, 2, "user-ada");

      raw.send(new Refresh(1L, tokens.token("ada", List.of("blue"), Duration.ofMinutes(5))));

      await().atMost(PATIENCE).until(() -> !raw.received(Error.class).isEmpty());
      Error error = raw.received(Error.class).get(0);
      assertThat(error.getSession()).isEqualTo(1L);
      assertThat(error.getCode()).isEqualTo(ErrorCode.PERMISSION_DENIED.code());
      assertThat(error.getMessage()).contains("team-red");
      raw.send(new Mark(2L, 9L));
      await()
          .atMost(PATIENCE)
          .until(() -> !raw.received(io.tributary.schemas.Mark.class).isEmpty());
      assertThat(raw.closeCode()).isNull();
    }
  }

  @Test
  void theSdkRefreshesShortLivedTokensBeforeTheyExpireAndKeepsSyncing() throws Exception {
    AtomicInteger issued = new AtomicInteger();
    URI uri = URI.create("ws://127.0.0.1:" + server.port());
    try (SyncClient writer =
            new SyncClient(uri, "user-ada")
                .tokenProvider(
                    () -> {
                      issued.incrementAndGet();
                      return tokens.token("ada", List.of(), SHORT);
                    });
        SyncClient reader =
            new SyncClient(uri, "user-ada").tokenProvider(() -> TestTokens.SHARED_SECRET)) {
      writer.connect().join();
      reader.connect().join();
      writer.write(tx -> tx.create("Task", 1).set("Task", 1, "text", Value.of("first")));

      await()
          .during(SHORT.multipliedBy(2))
          .atMost(SHORT.multipliedBy(4))
          .until(() -> writer.errors().isEmpty() && writer.connected());
      writer.write(tx -> tx.create("Task", 2).set("Task", 2, "text", Value.of("after")));

      assertThat(writer.awaitSynced(PATIENCE)).isTrue();
      assertThat(reader.awaitSynced(PATIENCE)).isTrue();
      await().atMost(PATIENCE).until(() -> reader.objects().equals(writer.objects()));
      assertThat(reader.objects()).hasSize(2);
      assertThat(issued.get()).as("tokens the provider issued").isGreaterThanOrEqualTo(3);
      assertThat(writer.errors()).isEmpty();
    }
  }

  /** Binds {@code dataset} as {@code session} and catches up, until the first DOWNLOAD. */
  private static void live(RawConnection raw, long session, String dataset) {
    raw.send(new Bind(session, dataset, null, true));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                raw.received(ServerIdent.class).stream().anyMatch(i -> i.getSession() == session));
    ServerIdent ident =
        raw.received(ServerIdent.class).stream()
            .filter(i -> i.getSession() == session)
            .findFirst()
            .orElseThrow();
    raw.send(new ClientIdent(session, ident.getClientIdent(), ident.getSalt(), 0L, 0L, 0L));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                raw.received(io.tributary.schemas.Download.class).stream()
                    .anyMatch(d -> d.getSession() == session));
  }
}
