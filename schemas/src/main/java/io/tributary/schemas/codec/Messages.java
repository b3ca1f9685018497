package io.tributary.schemas.codec;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.DownloadHeader;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.protocol.StateHeader;
import io.tributary.schemas.ChangesetBody;
import io.tributary.schemas.DownloadedChangeset;
import io.tributary.schemas.StateObject;
import io.tributary.schemas.StoredProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Protocol messages between their wire form (the generated Avro classes, one per WebSocket frame)
 * and the records the session machines take ({@link ClientMessage}, {@link ServerMessage}).
 * Changeset bodies are decoded on the way in, within their limits, and encoded on the way out.
 */
public final class Messages {

  private Messages() {}

  /**
   * A client's message, its changesets decoded.
   *
   * @throws Bodies.TooLargeException if its changesets declare or inflate past the limit
   * @throws MalformedFrameException if a changeset body does not hold what it declares
   */
  public static ClientMessage fromWire(io.tributary.schemas.ClientMessage wire) {
    Object body = wire.getBody();
    if (body instanceof io.tributary.schemas.Bind bind) {
      return new ClientMessage.Bind(
          bind.getSession(), bind.getDataset(), bind.getToken(), bind.getNeedsIdent());
    } else if (body instanceof io.tributary.schemas.ClientIdent ident) {
      return new ClientMessage.Ident(
          ident.getSession(),
          ident.getClientIdent(),
          ident.getSalt(),
          ident.getDownloadedServerVersion(),
          ident.getDownloadedServerVersionSalt(),
          ident.getLastIntegratedClientVersion());
    } else if (body instanceof io.tributary.schemas.StateRequest request) {
      return new ClientMessage.StateRequest(
          request.getSession(), request.getClientIdent(), request.getSalt());
    } else if (body instanceof io.tributary.schemas.Upload upload) {
      return new ClientMessage.Upload(upload.getSession(), decoded(upload.getChangesets()));
    } else if (body instanceof io.tributary.schemas.Transact transact) {
      return new ClientMessage.Transact(transact.getSession(), Bodies.decode(transact.getBody()));
    } else if (body instanceof io.tributary.schemas.Unbind unbind) {
      return new ClientMessage.Unbind(unbind.getSession());
    } else if (body instanceof io.tributary.schemas.Mark mark) {
      return new ClientMessage.Mark(mark.getSession(), mark.getRequestId());
    } else if (body instanceof io.tributary.schemas.ClientVersionRequest request) {
      return new ClientMessage.ClientVersionRequest(request.getSession());
    } else if (body instanceof io.tributary.schemas.Refresh refresh) {
      return new ClientMessage.Refresh(refresh.getSession(), refresh.getToken());
    } else if (body instanceof io.tributary.schemas.Ping ping) {
      return new ClientMessage.Ping(ping.getTimestamp());
    }
    throw new MalformedFrameException("not a client message: " + body.getClass().getSimpleName());
  }

  /** A client's message on the wire, its changesets encoded. */
  public static io.tributary.schemas.ClientMessage toWire(ClientMessage message) {
    return new io.tributary.schemas.ClientMessage(clientBody(message));
  }

  private static Object clientBody(ClientMessage message) {
    if (message instanceof ClientMessage.Bind bind) {
      return new io.tributary.schemas.Bind(
          bind.session(), bind.dataset(), bind.token(), bind.needsIdent());
    } else if (message instanceof ClientMessage.Ident ident) {
      return new io.tributary.schemas.ClientIdent(
          ident.session(),
          ident.clientIdent(),
          ident.salt(),
          ident.downloadedServerVersion(),
          ident.downloadedServerVersionSalt(),
          ident.lastIntegratedClientVersion());
    } else if (message instanceof ClientMessage.StateRequest request) {
      return new io.tributary.schemas.StateRequest(
          request.session(), request.clientIdent(), request.salt());
    } else if (message instanceof ClientMessage.Upload upload) {
      return new io.tributary.schemas.Upload(
          upload.session(), upload.changesets().stream().map(Bodies::encode).toList());
    } else if (message instanceof ClientMessage.Transact transact) {
      return new io.tributary.schemas.Transact(
          transact.session(), Bodies.encode(transact.changeset()));
    } else if (message instanceof ClientMessage.Unbind unbind) {
      return new io.tributary.schemas.Unbind(unbind.session());
    } else if (message instanceof ClientMessage.Mark mark) {
      return new io.tributary.schemas.Mark(mark.session(), mark.requestId());
    } else if (message instanceof ClientMessage.ClientVersionRequest request) {
      return new io.tributary.schemas.ClientVersionRequest(request.session());
    } else if (message instanceof ClientMessage.Refresh refresh) {
      return new io.tributary.schemas.Refresh(refresh.session(), refresh.token());
    }
    return new io.tributary.schemas.Ping(((ClientMessage.Ping) message).timestamp());
  }

  /** The changesets of an UPLOAD; all of them together become one Kafka record: one limit. */
  private static List<io.tributary.core.changeset.Changeset> decoded(List<ChangesetBody> bodies) {
    long declared = Bodies.declaredSize(bodies);
    if (declared > Bodies.MAX_SIZE) {
      throw new Bodies.TooLargeException(
          "an UPLOAD declares "
              + declared
              + " bytes of changesets; at most "
              + Bodies.MAX_SIZE
              + " are allowed");
    }
    return bodies.stream().map(Bodies::decode).toList();
  }

  /**
   * A server's message, its changesets and objects decoded.
   *
   * @throws Bodies.TooLargeException if a changeset declares or inflates past the limit
   * @throws MalformedFrameException if a changeset body does not hold what it declares
   */
  public static ServerMessage fromWire(io.tributary.schemas.ServerMessage wire) {
    Object body = wire.getBody();
    if (body instanceof io.tributary.schemas.Download download) {
      List<ServerMessage.DownloadedChangeset> changesets = new ArrayList<>();
      for (DownloadedChangeset entry : download.getChangesets()) {
        changesets.add(
            new ServerMessage.DownloadedChangeset(
                entry.getServerVersion(), Bodies.decode(entry.getBody())));
      }
      return new ServerMessage.Download(header(download), changesets);
    } else if (body instanceof io.tributary.schemas.State state) {
      List<ServerMessage.StateObject> objects = new ArrayList<>(state.getObjects().size());
      for (StateObject object : state.getObjects()) {
        objects.add(
            new ServerMessage.StateObject(
                new ObjectKey(object.getEntity(), object.getId()),
                ObjectCodec.properties(object.getProperties())));
      }
      return new ServerMessage.State(
          new StateHeader(
              state.getSession(),
              state.getServerVersion(),
              state.getServerVersionSalt(),
              state.getUploadProgress(),
              state.getSegment(),
              state.getLast()),
          objects);
    } else if (body instanceof io.tributary.schemas.ServerIdent ident) {
      return new ServerMessage.ServerIdent(
          ident.getSession(), ident.getClientIdent(), ident.getSalt());
    } else if (body instanceof io.tributary.schemas.Error error) {
      return new ServerMessage.Error(
          error.getSession(), error.getCode(), error.getMessage(), error.getTryAgain());
    } else if (body instanceof io.tributary.schemas.Unbound unbound) {
      return new ServerMessage.Unbound(unbound.getSession());
    } else if (body instanceof io.tributary.schemas.Pong pong) {
      return new ServerMessage.Pong(pong.getTimestamp());
    } else if (body instanceof io.tributary.schemas.Mark mark) {
      return new ServerMessage.Mark(mark.getSession(), mark.getRequestId());
    } else if (body instanceof io.tributary.schemas.ClientVersion version) {
      return new ServerMessage.ClientVersion(version.getSession(), version.getClientVersion());
    } else if (body instanceof io.tributary.schemas.TransactResult result) {
      return new ServerMessage.TransactResult(
          result.getSession(),
          result.getClientVersion(),
          result.getAccepted(),
          result.getMessage());
    }
    throw new MalformedFrameException("not a server message: " + body.getClass().getSimpleName());
  }

  private static DownloadHeader header(io.tributary.schemas.Download download) {
    return new DownloadHeader(
        download.getSession(),
        download.getServerVersion(),
        download.getServerVersionSalt(),
        download.getUploadProgress(),
        download.getLatestServerVersion(),
        download.getDownloadableBytes());
  }

  /** A server's message on the wire, its changesets and objects encoded. */
  public static io.tributary.schemas.ServerMessage toWire(ServerMessage message) {
    return new io.tributary.schemas.ServerMessage(serverBody(message));
  }

  private static Object serverBody(ServerMessage message) {
    if (message instanceof ServerMessage.Download download) {
      List<DownloadedChangeset> changesets = new ArrayList<>();
      for (ServerMessage.DownloadedChangeset entry : download.changesets()) {
        changesets.add(
            new DownloadedChangeset(entry.serverVersion(), Bodies.encode(entry.changeset())));
      }
      return download(download.header(), changesets).getBody();
    } else if (message instanceof ServerMessage.State state) {
      List<StateObject> objects = new ArrayList<>(state.objects().size());
      for (ServerMessage.StateObject object : state.objects()) {
        List<StoredProperty> properties = new ArrayList<>();
        for (Map.Entry<String, io.tributary.core.changeset.Value> property :
            object.properties().entrySet()) {
          properties.add(
              new StoredProperty(property.getKey(), ChangesetCodec.toAvro(property.getValue())));
        }
        objects.add(new StateObject(object.key().entity(), object.key().id(), properties));
      }
      return state(state.header(), objects).getBody();
    } else if (message instanceof ServerMessage.ServerIdent ident) {
      return new io.tributary.schemas.ServerIdent(
          ident.session(), ident.clientIdent(), ident.salt());
    } else if (message instanceof ServerMessage.Error error) {
      return new io.tributary.schemas.Error(
          error.session(), error.code(), error.message(), error.tryAgain());
    } else if (message instanceof ServerMessage.Unbound unbound) {
      return new io.tributary.schemas.Unbound(unbound.session());
    } else if (message instanceof ServerMessage.Pong pong) {
      return new io.tributary.schemas.Pong(pong.timestamp());
    } else if (message instanceof ServerMessage.Mark mark) {
      return new io.tributary.schemas.Mark(mark.session(), mark.requestId());
    } else if (message instanceof ServerMessage.ClientVersion version) {
      return new io.tributary.schemas.ClientVersion(version.session(), version.clientVersion());
    }
    ServerMessage.TransactResult result = (ServerMessage.TransactResult) message;
    return new io.tributary.schemas.TransactResult(
        result.session(), result.clientVersion(), result.accepted(), result.message());
  }

  /** A DOWNLOAD of changesets encoded already (once, for every session that sends them). */
  public static io.tributary.schemas.ServerMessage download(
      DownloadHeader header, List<DownloadedChangeset> changesets) {
    return new io.tributary.schemas.ServerMessage(
        io.tributary.schemas.Download.newBuilder()
            .setSession(header.session())
            .setServerVersion(header.serverVersion())
            .setServerVersionSalt(header.salt())
            .setUploadProgress(header.uploadProgress())
            .setLatestServerVersion(header.latestServerVersion())
            .setDownloadableBytes(header.downloadableBytes())
            .setChangesets(changesets)
            .build());
  }

  /** A STATE segment of objects as the materializer stored them. */
  public static io.tributary.schemas.ServerMessage state(
      StateHeader header, List<StateObject> objects) {
    return new io.tributary.schemas.ServerMessage(
        io.tributary.schemas.State.newBuilder()
            .setSession(header.session())
            .setServerVersion(header.serverVersion())
            .setServerVersionSalt(header.salt())
            .setUploadProgress(header.uploadProgress())
            .setSegment(header.segment())
            .setLast(header.last())
            .setObjects(objects)
            .build());
  }
}
