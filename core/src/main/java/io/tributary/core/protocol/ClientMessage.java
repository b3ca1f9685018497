package io.tributary.core.protocol;

import io.tributary.core.changeset.Changeset;
import java.util.List;

/**
 * What a client sends, as the session machines see it: decoded, changeset bodies included. The wire
 * form (one Avro {@code ClientMessage} per WebSocket frame) is the schemas module's business.
 */
public sealed interface ClientMessage {

  /** A message about one session of the connection: every message but PING. */
  sealed interface ForSession extends ClientMessage {
    long session();
  }

  /** Starts a session for a dataset; the client chooses its id. */
  record Bind(long session, String dataset, String token, boolean needsIdent)
      implements ForSession {}

  /** Identifies the client file and where it stands; downloads start after it. */
  record Ident(
      long session,
      long clientIdent,
      long salt,
      long downloadedServerVersion,
      long downloadedServerVersionSalt,
      long lastIntegratedClientVersion)
      implements ForSession {}

  /** Instead of IDENT, for a copy that has nothing yet: the dataset's state first. */
  record StateRequest(long session, long clientIdent, long salt) implements ForSession {}

  /** Changesets of the client, by increasing client version. */
  record Upload(long session, List<Changeset> changesets) implements ForSession {
    public Upload {
      changesets = List.copyOf(changesets);
    }
  }

  /** One changeset to integrate only if nothing of another client came since its base. */
  record Transact(long session, Changeset changeset) implements ForSession {}

  record Unbind(long session) implements ForSession {}

  /** Answer with the same MARK once everything in history now has been sent. */
  record Mark(long session, long requestId) implements ForSession {}

  record ClientVersionRequest(long session) implements ForSession {}

  /** A new access token for a running session. */
  record Refresh(long session, String token) implements ForSession {}

  record Ping(long timestamp) implements ClientMessage {}
}
