package io.tributary.core.session;

import io.tributary.core.ErrorCode;
import io.tributary.core.auth.Admission;
import io.tributary.core.auth.Identity;
import io.tributary.core.auth.Permissions;
import io.tributary.core.auth.TokenCheck;
import io.tributary.core.auth.TokenVerdict;
import io.tributary.core.model.ChangesetValidator;
import io.tributary.core.model.Renames;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.testing.Models;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link ServerConnection} for tests: what it was fed, and every effect it returned. */
final class ServerHarness {

  static final UploadSchema TASKS =
      new UploadSchema(new ChangesetValidator(Models.tasks()), Renames.NONE);

  /** A token check that accepts "good" (and no token) as a shared secret, refuses all else. */
  static final TokenCheck TOKENS =
      token ->
          token == null || token.equals("good")
              ? new TokenVerdict.Accepted(Identity.SHARED_SECRET)
              : new TokenVerdict.Refused(
                  ErrorCode.AUTHENTICATION_FAILED, "unknown", "not a token of this test");

  final ServerConnection connection;
  final List<SessionEffect> effects = new ArrayList<>();

  ServerHarness() {
    this(ConnectionLimits.DEFAULTS);
  }

  ServerHarness(ConnectionLimits limits) {
    this(
        limits, new Admission(TOKENS, Permissions.DEFAULTS), Identity.SHARED_SECRET, Instant.EPOCH);
  }

  ServerHarness(ConnectionLimits limits, Admission admission, Identity handshake, Instant now) {
    connection =
        new ServerConnection("gateway-test", 7, limits, admission, handshake, now, () -> TASKS);
  }

  List<SessionEffect> send(ClientMessage message) {
    return record(connection.on(message));
  }

  List<SessionEffect> event(long binding, SessionEvent event) {
    return record(connection.on(binding, event));
  }

  private List<SessionEffect> record(List<SessionEffect> latest) {
    effects.addAll(latest);
    return latest;
  }

  /** The binding the last {@link SessionEffect.Read} or {@link SessionEffect.Publish} named. */
  long binding() {
    for (int i = effects.size() - 1; i >= 0; i--) {
      if (effects.get(i) instanceof SessionEffect.Read read) {
        return read.binding();
      }
      if (effects.get(i) instanceof SessionEffect.Publish publish) {
        return publish.binding();
      }
      if (effects.get(i) instanceof SessionEffect.Listen listen) {
        return listen.binding();
      }
    }
    throw new AssertionError("no effect names a binding yet: " + effects);
  }

  static Optional<ServerMessage.Error> errorIn(List<SessionEffect> effects) {
    return effects.stream()
        .filter(SessionEffect.Send.class::isInstance)
        .map(effect -> ((SessionEffect.Send) effect).message())
        .filter(ServerMessage.Error.class::isInstance)
        .map(ServerMessage.Error.class::cast)
        .findFirst();
  }

  static Optional<ErrorCode> errorCodeIn(List<SessionEffect> effects) {
    Optional<ServerMessage.Error> error = errorIn(effects);
    if (error.isPresent()) {
      return error.map(e -> ErrorCode.ofCode(e.code()));
    }
    return effects.stream()
        .filter(SessionEffect.CloseConnection.class::isInstance)
        .map(effect -> ((SessionEffect.CloseConnection) effect).error())
        .findFirst();
  }

  /** A history item of the tests: a changeset of {@code origin} at {@code version}. */
  record Item(long version, long salt, long historyBytes, long originIdent, long clientVersion)
      implements HistoryItem {
    static Item of(long version, long origin, long clientVersion) {
      return new Item(version, 1000 + version, 100 * version, origin, clientVersion);
    }
  }

  /** A state page of the tests. */
  record Page(long serverVersion, long salt, long uploadProgress, boolean last)
      implements StatePage {}
}
