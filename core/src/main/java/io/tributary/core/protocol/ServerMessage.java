package io.tributary.core.protocol;

import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.util.List;
import java.util.SortedMap;

/**
 * What the server sends, as the client's session machine sees it: decoded, changesets included. The
 * server's machine sends DOWNLOAD and STATE as {@link SessionEffect}s instead, whose contents stay
 * with the gateway (it encodes a changeset once for every session that sends it).
 */
public sealed interface ServerMessage {

  /** A newly allocated client file ident, after a BIND that asked for one. */
  record ServerIdent(long session, long clientIdent, long salt) implements ServerMessage {}

  /** Changesets of other clients by increasing server version, and this client's progress. */
  record Download(DownloadHeader header, List<DownloadedChangeset> changesets)
      implements ServerMessage {
    public Download {
      changesets = List.copyOf(changesets);
    }
  }

  /** A changeset of another client at its server version. */
  record DownloadedChangeset(long serverVersion, Changeset changeset) {}

  /** One segment of the dataset's state. */
  record State(StateHeader header, List<StateObject> objects) implements ServerMessage {
    public State {
      objects = List.copyOf(objects);
    }
  }

  /** An object of a STATE segment, with its properties by name. */
  record StateObject(ObjectKey key, SortedMap<String, Value> properties) {}

  record Unbound(long session) implements ServerMessage {}

  /** Session 0 for an error of the whole connection. */
  record Error(long session, int code, String message, boolean tryAgain) implements ServerMessage {
    public Error(long session, ErrorCode error, String message) {
      this(session, error.code(), message, error.tryAgain());
    }
  }

  record Pong(long timestamp) implements ServerMessage {}

  record Mark(long session, long requestId) implements ServerMessage {}

  record ClientVersion(long session, long clientVersion) implements ServerMessage {}

  record TransactResult(long session, long clientVersion, boolean accepted, String message)
      implements ServerMessage {}
}
