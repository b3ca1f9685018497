package io.tributary.core.session;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.ServerMessage;

/** What the client's session machine asks its shell (the SDK) to do. */
public sealed interface ClientEffect {

  /** Where the connection stands, as the app sees it. */
  enum Connection {
    DISCONNECTED,
    CONNECTING,
    /** Open, bound and identified: uploads and downloads flow. */
    CONNECTED
  }

  /**
   * Open a WebSocket to the server; answer {@link ClientSession#opened} or {@link
   * ClientSession#closed}.
   */
  record Open() implements ClientEffect {}

  /** Close the WebSocket now, without waiting for anything. */
  record Close() implements ClientEffect {}

  /** Send a message; messages go out in the order of these effects. */
  record Send(ClientMessage message) implements ClientEffect {}

  /** Call {@link ClientSession#reconnectDue} after {@code delayMillis}. */
  record ScheduleReconnect(long delayMillis) implements ClientEffect {}

  record CancelReconnect() implements ClientEffect {}

  /** Call {@link ClientSession#pingDue} regularly while the socket is open. */
  record StartPings() implements ClientEffect {}

  record StopPings() implements ClientEffect {}

  // What the app hears of, through its listeners.

  record ConnectionChanged(Connection connection) implements ClientEffect {}

  record ErrorReceived(ServerMessage.Error error) implements ClientEffect {}

  /** A changeset is in the copy: of this client ({@code remote} false) or of another. */
  record Changed(Changeset changeset, boolean remote) implements ClientEffect {}

  /**
   * How far the download is: at {@code serverVersion} of {@code latestServerVersion}, with about
   * {@code bytesLeft} bytes of history to come.
   */
  record Progress(long serverVersion, long latestServerVersion, long bytesLeft)
      implements ClientEffect {}

  /** Everything written before {@link ClientSession#awaitSynced} is in, and everything out. */
  record Synced(long waiter) implements ClientEffect {}

  /** The verdict on the TRANSACT under way. */
  record TransactSettled(boolean accepted) implements ClientEffect {}

  /**
   * The server refused a changeset of this client for good: it is out of the copy (which is rebuilt
   * from the server's state with the other pending changesets), and sync goes on.
   */
  record Refused(Changeset changeset, ServerMessage.Error error) implements ClientEffect {}
}
