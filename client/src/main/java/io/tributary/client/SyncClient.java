package io.tributary.client;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.HybridClock;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Model;
import io.tributary.core.model.SyncPrecedence;
import io.tributary.core.state.ChangesetApplier;
import io.tributary.core.state.LocalReplica;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ChangesetBody;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.ClientMessage;
import io.tributary.schemas.Download;
import io.tributary.schemas.DownloadedChangeset;
import io.tributary.schemas.Error;
import io.tributary.schemas.ServerIdent;
import io.tributary.schemas.ServerMessage;
import io.tributary.schemas.Upload;
import io.tributary.schemas.codec.Bodies;
import io.tributary.schemas.codec.Frames;
import io.tributary.schemas.codec.Handshake;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A minimal sync client for one dataset: a local in-memory copy that takes writes offline, and a
 * connection that uploads them and applies what others wrote. {@link #connect} and {@link
 * #disconnect} can alternate freely; the client resumes from the last server version it has.
 *
 * <p>The full offline-first SDK (persistent store, automatic reconnects) builds on this.
 */
public final class SyncClient implements AutoCloseable {

  private static final long SESSION = 1;

  /** Far below the server's 16 MiB message limit: one upload becomes one Kafka record. */
  private static final long UPLOAD_BATCH_BYTES = 1024 * 1024;

  private final URI server;
  private final String dataset;
  private final SyncPrecedence precedence;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ClientState state;
  private final LocalReplica replica;
  private final HybridClock clock = new HybridClock(System::currentTimeMillis);
  private final List<Error> errors = new ArrayList<>();
  private Consumer<Error> errorListener = error -> {};
  private Consumer<Changeset> changeListener = changeset -> {};
  private WebSocket socket;
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
  private boolean identified;

  public SyncClient(URI server, String dataset) {
    this(server, dataset, null);
  }

  /**
   * @param model the data model, for the sync precedence of changes (a SYNC_PRECEDENCE property);
   *     null if the client does not know it, which is right when the model has none
   */
  public SyncClient(URI server, String dataset, Model model) {
    this(server, dataset, model, new MemoryState());
  }

  /**
   * A client whose copy lives in {@code directory} (RocksDB): local writes, pending changesets and
   * sync progress survive restarts and crashes. One directory per client file and dataset.
   */
  public static SyncClient persistent(URI server, String dataset, Model model, Path directory) {
    return new SyncClient(server, dataset, model, RocksState.open(directory));
  }

  private SyncClient(URI server, String dataset, Model model, ClientState state) {
    this.server = server;
    this.dataset = dataset;
    this.precedence = model == null ? null : new SyncPrecedence(model);
    this.state = state;
    this.replica = state.replica();
    clock.observe(state.meta().clock());
  }

  /** Opens the connection and binds the dataset; completes when the WebSocket is open. */
  public synchronized CompletableFuture<Void> connect() {
    if (socket != null) {
      return CompletableFuture.completedFuture(null);
    }
    return http.newWebSocketBuilder()
        .subprotocols(Handshake.currentSubprotocol())
        .buildAsync(server, new Listener())
        .thenAccept(this::onOpen);
  }

  private synchronized void onOpen(WebSocket webSocket) {
    socket = webSocket;
    identified = false;
    send(new Bind(SESSION, dataset, null, state.meta().clientIdent() == 0));
    if (state.meta().clientIdent() != 0) {
      identify();
    }
  }

  /** Closes the connection; local writes go on and are uploaded after the next connect. */
  public synchronized void disconnect() {
    if (socket != null) {
      socket.abort();
      socket = null;
      identified = false;
    }
  }

  /**
   * Runs a local transaction: applied at once, uploaded when connected. Returns its version.
   *
   * @throws io.tributary.core.state.ListIndexOutOfRangeException if a list instruction addresses no
   *     element; nothing of the transaction is applied
   */
  public synchronized long write(Consumer<Transaction> body) {
    Transaction transaction = new Transaction();
    body.accept(transaction);
    List<Instruction> instructions = transaction.instructions();
    ChangesetApplier.checkListIndexes(instructions, state.objects());
    Map<ObjectKey, Long> objectPrecedence =
        precedence == null ? Map.of() : precedence.after(instructions, state.objects());
    ClientMeta meta = state.meta();
    Changeset changeset =
        new Changeset(
            meta.lastClientVersion() + 1,
            replica.serverVersion(),
            clock.tick(),
            meta.clientIdent(),
            replica.stamp(instructions, key -> objectPrecedence.getOrDefault(key, 0L)));
    replica.applyLocal(changeset);
    state.commit(meta.withLocal(changeset.clientVersion(), changeset.timestamp()));
    if (identified) {
      send(new Upload(SESSION, List.of(Bodies.encode(changeset))));
    }
    return changeset.clientVersion();
  }

  public synchronized SortedMap<ObjectKey, SortedMap<String, Value>> objects() {
    return state.snapshot();
  }

  public synchronized long serverVersion() {
    return replica.serverVersion();
  }

  /** The client version of the last local transaction (the number of transactions so far). */
  public synchronized long lastClientVersion() {
    return state.meta().lastClientVersion();
  }

  public synchronized long clientIdent() {
    return state.meta().clientIdent();
  }

  /** Local changesets the server has not acknowledged yet. */
  public synchronized int pendingCount() {
    return replica.pending().size();
  }

  public synchronized boolean connected() {
    return socket != null;
  }

  public synchronized List<Error> errors() {
    return List.copyOf(errors);
  }

  public synchronized void onError(Consumer<Error> listener) {
    this.errorListener = listener;
  }

  /** Called with every changeset of another client, after it is applied locally. */
  public synchronized void onRemoteChange(Consumer<Changeset> listener) {
    this.changeListener = listener;
  }

  private void identify() {
    ClientMeta meta = state.meta();
    send(
        new ClientIdent(
            SESSION,
            meta.clientIdent(),
            meta.salt(),
            replica.serverVersion(),
            meta.serverVersionSalt(),
            meta.acknowledgedClientVersion()));
    identified = true;
    // Re-uploading what the server may already have is safe: it drops duplicates.
    uploadInBatches(replica.pending());
  }

  /** Uploads in messages of at most about {@link #UPLOAD_BATCH_BYTES}, keeping their order. */
  private void uploadInBatches(List<Changeset> changesets) {
    List<ChangesetBody> batch = new ArrayList<>();
    long bytes = 0;
    for (Changeset changeset : changesets) {
      ChangesetBody body = Bodies.encode(changeset);
      // The server's limit counts decoded bytes: one upload becomes one Kafka record.
      long size = body.getSize();
      if (!batch.isEmpty() && bytes + size > UPLOAD_BATCH_BYTES) {
        send(new Upload(SESSION, batch));
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(body);
      bytes += size;
    }
    if (!batch.isEmpty()) {
      send(new Upload(SESSION, batch));
    }
  }

  private synchronized void onMessage(ServerMessage message) {
    Object body = message.getBody();
    if (body instanceof ServerIdent ident) {
      onIdent(ident);
    } else if (body instanceof Download download) {
      onDownload(download);
    } else if (body instanceof Error error) {
      errors.add(error);
      errorListener.accept(error);
    }
  }

  private void onIdent(ServerIdent ident) {
    replica.assignOrigin(ident.getClientIdent()); // Changesets written before the ident.
    state.commit(state.meta().withIdent(ident.getClientIdent(), ident.getSalt()));
    identify();
  }

  private void onDownload(Download download) {
    for (DownloadedChangeset entry : download.getChangesets()) {
      Changeset received = Bodies.decode(entry.getBody());
      clock.observe(received.timestamp());
      replica.applyRemote(entry.getServerVersion(), received);
      changeListener.accept(received);
    }
    replica.acknowledge(download.getUploadProgress(), download.getServerVersion());
    state.commit(
        state
            .meta()
            .withServer(
                download.getServerVersion(),
                download.getServerVersionSalt(),
                download.getUploadProgress()));
  }

  private void send(Object body) {
    WebSocket target = socket;
    byte[] frame = Frames.encode(new ClientMessage(body));
    // The JDK WebSocket allows one outstanding send at a time.
    sending =
        sending
            .exceptionally(error -> null)
            .thenCompose(ignored -> target.sendBinary(ByteBuffer.wrap(frame), true));
  }

  private synchronized void onClosed(WebSocket closed) {
    if (socket == closed) {
      socket = null;
      identified = false;
    }
  }

  @Override
  public synchronized void close() {
    disconnect();
    state.close();
  }

  private final class Listener extends BinaryMessageListener {
    @Override
    protected void onMessage(byte[] message) {
      SyncClient.this.onMessage(Frames.decodeServer(message));
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      onClosed(webSocket);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      onClosed(webSocket);
    }
  }
}
