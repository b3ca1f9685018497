package io.tributary.core.session;

import io.tributary.core.ErrorCode;
import io.tributary.core.protocol.DownloadHeader;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.protocol.StateHeader;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import java.util.List;

/**
 * What the server's session machines ask their shell to do. {@code binding} names a session within
 * its connection for the connection's life: answers to {@link Read} and events for the session go
 * back with it (a client's own session ids may be reused after an UNBIND).
 */
public sealed interface SessionEffect {

  /** Send a message to the client. */
  record Send(ServerMessage message) implements SessionEffect {}

  /** Send a DOWNLOAD of these history items. */
  record SendDownload(DownloadHeader header, List<HistoryItem> changesets)
      implements SessionEffect {
    public SendDownload {
      changesets = List.copyOf(changesets);
    }
  }

  /** Send this state page as a STATE segment. */
  record SendState(StateHeader header, StatePage page) implements SessionEffect {}

  /** Publish a request to the dataset's uploads; its replies come addressed to {@code replyTo}. */
  record Publish(long binding, String dataset, ReplyTo replyTo, UploadRequest request)
      implements SessionEffect {}

  /** Read from the materializer; answer with the matching {@link SessionEvent}. */
  record Read(long binding, String dataset, ReadRequest request) implements SessionEffect {}

  /** From now on, deliver the dataset's live changesets to the session. */
  record Listen(long binding, String dataset) implements SessionEffect {}

  /** Tell the session {@link SessionEvent.Drained} once the outbound queue has drained. */
  record AwaitDrain(long binding) implements SessionEffect {}

  /** The session is over: deliver nothing more to it. */
  record Ended(long binding, String dataset) implements SessionEffect {}

  /** Tell the client (ERROR, session 0) and close the connection. */
  record CloseConnection(ErrorCode error, String message) implements SessionEffect {}
}
