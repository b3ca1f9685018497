package io.tributary.gateway;

import io.tributary.core.ErrorCode;
import io.tributary.core.auth.Admission;
import io.tributary.core.auth.Identity;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.core.session.DownloadCoalescing;
import io.tributary.core.session.HistoryItem;
import io.tributary.core.session.ReadRequest;
import io.tributary.core.session.ReadRequest.FetchHistory;
import io.tributary.core.session.ReadRequest.FetchState;
import io.tributary.core.session.ReadRequest.FetchStateNext;
import io.tributary.core.session.ReadRequest.ReadProgress;
import io.tributary.core.session.ServerConnection;
import io.tributary.core.session.SessionEffect;
import io.tributary.core.session.SessionEvent;
import io.tributary.schemas.ClientMessage;
import io.tributary.schemas.DownloadedChangeset;
import io.tributary.schemas.codec.Bodies;
import io.tributary.schemas.codec.Frames;
import io.tributary.schemas.codec.MalformedFrameException;
import io.tributary.schemas.codec.Messages;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client WebSocket, the shell around its {@link ServerConnection} machine: assembles and
 * decodes frames, feeds the machine, and carries out its effects (writes to the socket, publishes
 * to Kafka, reads from the materializer). Runs on the connection's event loop.
 *
 * <p>The socket's write queue is bounded: when it is full, nothing more is read from the client (so
 * that what it sends cannot make the server hold more), sessions stop pushing and later catch up
 * from history, and a client that stays so past the slow-reader timeout is closed.
 */
final class Connection implements SessionRegistry.Sessions {

  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  /** Beyond this many unsent bytes the connection counts as congested. */
  static final int WRITE_QUEUE_BYTES = 2 * 1024 * 1024;

  private final long id;
  private final ServerWebSocket socket;

  /** The TCP connection under the WebSocket: closed directly when the client reads nothing. */
  private final HttpConnection tcp;

  private final GatewayServices services;
  private final Context context;
  private final ConnectionWatch watch;
  private final ServerConnection machine;
  private final List<Runnable> drainWaiters = new ArrayList<>();

  /** Events for the sessions, delivered from the downloads listener's thread. */
  private final Queue<Delivery> inbox = new ConcurrentLinkedQueue<>();

  /** A turn that takes the inbox is scheduled on the event loop. */
  private final AtomicBoolean draining = new AtomicBoolean();

  /** At most this many deliveries are taken in one turn of the event loop. */
  static final int DELIVERIES_PER_TURN = 256;

  private record Delivery(long binding, SessionEvent event, Runnable taken) {}

  /**
   * What the handshake established: who the client is, by which token (null if none), from where.
   */
  record Handshake(Identity identity, String token, String address) {}

  /** The fragments of the message being received; never more than the message limit. */
  private final List<Buffer> fragments = new ArrayList<>();

  private int fragmentBytes;
  private boolean textMessage;
  private long lastHeardNanos = System.nanoTime();

  /** When reading stopped because the client does not read what it is sent; -1 if reading. */
  private long pausedSinceNanos = -1;

  /** False while the socket is paused, for either reason above. */
  private boolean reading = true;

  private int boundSessions;
  private boolean closed;

  /** The event loop's budget of changesets in flight, shared with its other connections. */
  private final UploadBudget budget;

  /** This connection's share of the budget: its changesets published and not yet answered. */
  private int uploadsInFlight;

  /** When each of those was read, oldest first: how long the server takes to answer one. */
  private final ArrayDeque<Long> uploadsReadAt = new ArrayDeque<>();

  private final Runnable budgetFreed = this::updateReading;

  /** The tokens this connection's client gave, with their verdicts once they are known. */
  private final KnownTokens tokens;

  /**
   * Messages read while a token of an earlier one is checked on a worker thread: they wait, in
   * order, so that the machine sees them after it (the socket is not read meanwhile).
   */
  private final ArrayDeque<io.tributary.core.protocol.ClientMessage> awaitingCheck =
      new ArrayDeque<>();

  private boolean checking;

  /** The client's address, as counted in the gateway's {@link ConnectionCounts}. */
  private final String address;

  /** Each session's upload rate. */
  private final UploadRate uploadRate;

  /** A session went over its upload rate: the connection is not read until its bucket refills. */
  private boolean throttled;

  /** The timer that ticks the machine when its next token expires, and when that is; -1, MAX. */
  private long expiryTimer = -1;

  private long armedExpiry = Long.MAX_VALUE;

  private final Instant connectedSince = Instant.now();

  Connection(
      long id,
      ServerWebSocket socket,
      HttpConnection tcp,
      GatewayServices services,
      Context context,
      ConnectionWatch watch,
      UploadBudget budget,
      Handshake handshake) {
    this.address = handshake.address();
    this.tokens = new KnownTokens(handshake, services.admission().tokens());
    this.uploadRate = new UploadRate(services.policy().quotas());
    this.id = id;
    this.watch = watch;
    this.budget = budget;
    this.socket = socket;
    this.tcp = tcp;
    this.services = services;
    this.context = context;
    this.machine =
        new ServerConnection(
            services.registry().gatewayId(),
            id,
            services.policy().limits(),
            new Admission(tokens, services.admission().permissions()),
            handshake.identity(),
            Instant.now(),
            services.schema()::upload);
  }

  void start() {
    socket.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    socket.drainHandler(ignored -> onDrained());
    socket.frameHandler(this::onWebSocketFrame);
    socket.exceptionHandler(error -> LOG.debug("Connection {} error: {}", id, error.toString()));
    socket.closeHandler(ignored -> onClosed());
    services.registry().connected(this);
    services.metrics().connected();
    LOG.debug("Connection {} from {}", id, socket.remoteAddress());
    watch.add(this);
  }

  @Override
  public long connectionId() {
    return id;
  }

  @Override
  public void deliver(long binding, SessionEvent event, Runnable taken) {
    inbox.add(new Delivery(binding, event, taken));
    if (draining.compareAndSet(false, true)) {
      context.runOnContext(ignored -> takeDeliveries());
    }
  }

  /**
   * Takes what was delivered since the last turn, up to {@link #DELIVERIES_PER_TURN}, and carries
   * out the machine's answers together: DOWNLOADs that follow each other for a session become one
   * ({@link DownloadCoalescing}), so a client that fell behind gets fewer, fuller messages.
   */
  private void takeDeliveries() {
    List<SessionEffect> effects = new ArrayList<>();
    for (int taken = 0; taken < DELIVERIES_PER_TURN; taken++) {
      Delivery delivery = inbox.poll();
      if (delivery == null) {
        break;
      }
      delivery.taken().run();
      if (!closed) {
        effects.addAll(answer(delivery.binding(), delivery.event()));
      }
    }
    run(DownloadCoalescing.coalesce(effects));
    draining.set(false);
    if (!inbox.isEmpty() && draining.compareAndSet(false, true)) {
      context.runOnContext(ignored -> takeDeliveries());
    }
  }

  /**
   * Assembles messages from their frames, so that one over the limit is refused with an ERROR as
   * soon as its frames pass the limit, without holding more of it.
   */
  private void onWebSocketFrame(WebSocketFrame frame) {
    lastHeardNanos = System.nanoTime();
    if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
      return; // Control frames: answered by the WebSocket layer.
    }
    if (!frame.isContinuation()) {
      fragments.clear();
      fragmentBytes = 0;
      textMessage = frame.isText();
    }
    Buffer data = frame.binaryData();
    fragmentBytes += data.length();
    if (fragmentBytes > SyncVerticle.MAX_MESSAGE_BYTES) {
      fragments.clear();
      fail(
          ErrorCode.MESSAGE_TOO_LARGE,
          "a message is at most " + SyncVerticle.MAX_MESSAGE_BYTES + " bytes");
      return;
    }
    fragments.add(data);
    if (!frame.isFinal()) {
      return;
    }
    Buffer message = fragments.size() == 1 ? data : Buffer.buffer(fragmentBytes);
    if (fragments.size() > 1) {
      fragments.forEach(message::appendBuffer);
    }
    fragments.clear();
    fragmentBytes = 0;
    if (textMessage) {
      fail(ErrorCode.MALFORMED_MESSAGE, "text frames are not part of the protocol");
    } else {
      onMessage(message);
    }
  }

  private void onMessage(Buffer frame) {
    io.tributary.core.protocol.ClientMessage message;
    try {
      ClientMessage wire = Frames.decodeClient(frame.getBytes());
      String type = wire.getBody().getClass().getSimpleName();
      services.metrics().received(type, frame.length());
      if (LOG.isDebugEnabled()) {
        LOG.debug("Connection {} <- {} ({} bytes)", id, type, frame.length());
      }
      message = Messages.fromWire(wire);
      if (message instanceof io.tributary.core.protocol.ClientMessage.Upload upload) {
        services.metrics().uploaded(upload.changesets().size());
      }
    } catch (Bodies.TooLargeException e) {
      fail(ErrorCode.MESSAGE_TOO_LARGE, e.getMessage());
      return;
    } catch (MalformedFrameException e) {
      fail(ErrorCode.MALFORMED_MESSAGE, e.getMessage());
      return;
    }
    take(message);
  }

  /**
   * Feeds a message to the machine, after the check of the token it brings, if it brings one not
   * known yet: a signature can cost milliseconds (ES256), which the event loop must not spend.
   */
  private void take(io.tributary.core.protocol.ClientMessage message) {
    if (checking) {
      awaitingCheck.add(message);
      return;
    }
    String token = tokens.unknownTokenOf(message);
    if (token == null) {
      run(machine.on(message));
      return;
    }
    checking = true;
    updateReading();
    KnownTokens.checkOnWorker(context.owner(), services.admission().tokens(), token)
        .onComplete(
            checked -> {
              checking = false;
              if (closed) {
                return;
              }
              tokens.learn(token, checked.succeeded() ? checked.result() : null);
              run(machine.on(message));
              while (!checking && !awaitingCheck.isEmpty() && !closed) {
                take(awaitingCheck.poll());
              }
              updateReading();
            });
  }

  /**
   * Feeds a session event to the machine. Before anything that would push history to the client, a
   * full write queue is told first: the session then waits and catches up, instead of queueing
   * more.
   */
  private void feed(long binding, SessionEvent event) {
    if (!closed) {
      run(answer(binding, event));
    }
  }

  /** What the machine answers to a session event, told first of a full write queue. */
  private List<SessionEffect> answer(long binding, SessionEvent event) {
    boolean pushes = event instanceof SessionEvent.Live || event instanceof SessionEvent.PageRead;
    if (pushes && socket.writeQueueFull()) {
      List<SessionEffect> effects =
          new ArrayList<>(machine.on(binding, new SessionEvent.Congested()));
      effects.addAll(machine.on(binding, event));
      return effects;
    }
    return machine.on(binding, event);
  }

  private void run(List<SessionEffect> effects) {
    for (SessionEffect effect : effects) {
      carryOut(effect);
    }
    int sessions = machine.sessionCount();
    services.registry().sessionsChanged(sessions - boundSessions);
    boundSessions = sessions;
    countUploadsInFlight();
    armExpiry();
    if (pausedSinceNanos < 0 && !closed && socket.writeQueueFull()) {
      // The client does not read what it is sent: read nothing more of it until it does.
      pausedSinceNanos = System.nanoTime();
    }
    updateReading();
  }

  /**
   * Ticks the machine when the next token it holds expires: one timer, armed only while a token
   * that expires is held (a shared secret's never does). A periodic check of every connection each
   * second cost the event loops 6 % of a core and 12 ms of fan-out latency under load.
   */
  private void armExpiry() {
    long next = closed ? Long.MAX_VALUE : machine.nextExpiryMillis();
    if (next == armedExpiry) {
      return;
    }
    if (expiryTimer >= 0) {
      context.owner().cancelTimer(expiryTimer);
      expiryTimer = -1;
    }
    armedExpiry = next;
    if (next != Long.MAX_VALUE) {
      long delay = Math.max(1, next - System.currentTimeMillis());
      expiryTimer =
          context
              .owner()
              .setTimer(
                  delay,
                  ignored -> {
                    expiryTimer = -1;
                    armedExpiry = Long.MAX_VALUE;
                    if (!closed) {
                      run(machine.tick(Instant.now()));
                    }
                  });
    }
  }

  /**
   * Follows the changesets in flight after the machine has run: into the event loop's budget, and
   * into the time from reading a changeset to answering it (oldest first: exact for a connection
   * with one writing session, the usual case). Those given up with a closing connection were not
   * answered, and are not timed.
   */
  private void countUploadsInFlight() {
    int now = machine.uploadsInFlight();
    int delta = now - uploadsInFlight;
    if (delta == 0) {
      return;
    }
    uploadsInFlight = now;
    long nanos = System.nanoTime();
    for (int i = 0; i < delta; i++) {
      uploadsReadAt.addLast(nanos);
    }
    for (int i = 0; i < -delta; i++) {
      long readAt = uploadsReadAt.removeFirst();
      if (!closed) {
        services.metrics().uploadAnswered(nanos - readAt);
      }
    }
    services.metrics().uploadsInFlight(delta);
    budget.changed(delta);
  }

  /**
   * Reads the client only while it reads what it is sent, has fewer changesets in flight than its
   * limit, no session over its upload rate, and the event loop's {@link UploadBudget} admits it: a
   * writer faster than the server waits in its own socket, not in the server.
   */
  private void updateReading() {
    boolean overBudget = !budget.admits(uploadsInFlight);
    boolean held = machine.atUploadLimit() || overBudget || throttled || checking;
    if (overBudget && !closed) {
      budget.await(budgetFreed);
    }
    boolean read = !closed && pausedSinceNanos < 0 && !held;
    if (read != reading) {
      if (held && !throttled && !checking) {
        services.metrics().uploadsHeld();
      }
      reading = read;
      if (read) {
        lastHeardNanos = System.nanoTime(); // Not reading was our choice, not the client's silence.
        socket.resume();
      } else {
        socket.pause();
      }
    }
  }

  private void carryOut(SessionEffect effect) {
    if (effect instanceof SessionEffect.Send send) {
      send(send.message());
    } else if (effect instanceof SessionEffect.SendDownload download) {
      List<DownloadedChangeset> changesets = new ArrayList<>(download.changesets().size());
      for (HistoryItem item : download.changesets()) {
        changesets.add(new DownloadedChangeset(item.version(), ((WireItem) item).body()));
      }
      write(Messages.download(download.header(), changesets));
    } else if (effect instanceof SessionEffect.SendState state) {
      WireStatePage page = (WireStatePage) state.page();
      write(
          Messages.state(
              state.header(),
              StateNames.toCurrent(page.page().getObjects(), services.schema().renames())));
    } else if (effect instanceof SessionEffect.Publish publish) {
      throttle(publish);
      services
          .uploads()
          .publish(publish.dataset(), publish.replyTo(), publish.request())
          .onFailure(
              error -> feed(publish.binding(), new SessionEvent.PublishFailed(error.getMessage())));
    } else if (effect instanceof SessionEffect.Read read) {
      read(read.binding(), read.dataset(), read.request());
    } else if (effect instanceof SessionEffect.Listen listen) {
      services.registry().listen(listen.dataset(), this, listen.binding());
    } else if (effect instanceof SessionEffect.Ended ended) {
      services.registry().remove(ended.dataset(), this, ended.binding());
      uploadRate.forget(ended.binding());
    } else if (effect instanceof SessionEffect.AwaitDrain await) {
      drainWaiters.add(() -> feed(await.binding(), new SessionEvent.Drained()));
    } else if (effect instanceof SessionEffect.CloseConnection close) {
      closeWith(close.error(), close.message());
    }
  }

  /**
   * Charges a publish's changesets to its session's upload rate; a session over it stops the
   * connection being read until its bucket has refilled.
   */
  private void throttle(SessionEffect.Publish publish) {
    int changesets =
        publish.request() instanceof UploadRequest.UploadChangesets upload
            ? upload.changesets().size()
            : publish.request() instanceof UploadRequest.Transact ? 1 : 0;
    if (changesets == 0) {
      return;
    }
    long waitNanos = uploadRate.take(publish.binding(), changesets);
    if (waitNanos > 0 && !throttled) {
      // Debts taken meanwhile (messages already read) make the next wait longer: they even out.
      throttled = true;
      services.metrics().uploadThrottled();
      context
          .owner()
          .setTimer(
              Math.max(1, waitNanos / 1_000_000),
              ignored -> {
                throttled = false;
                updateReading();
              });
    }
  }

  /**
   * Reads from the materializer for a session. A page of history or state waits while the write
   * queue is full: the socket's queue, not the server's memory, bounds what a transfer holds.
   */
  private void read(long binding, String dataset, ReadRequest request) {
    boolean bulk = !(request instanceof ReadProgress);
    if (bulk && socket.writeQueueFull()) {
      drainWaiters.add(() -> read(binding, dataset, request));
      return;
    }
    ReadApiClient readApi = services.readApi();
    Future<? extends SessionEvent> answer;
    if (request instanceof ReadProgress progress) {
      answer =
          readApi
              .progress(dataset, progress.clientIdent(), progress.salt())
              .map(
                  read ->
                      new SessionEvent.ProgressRead(
                          progress.query(), read.head(), read.lastClientVersion()));
    } else if (request instanceof FetchHistory fetch) {
      answer =
          readApi
              .fetch(
                  dataset,
                  fetch.after(),
                  fetch.afterSalt(),
                  fetch.clientIdent(),
                  fetch.salt(),
                  services.schema()::renames)
              .map(SessionEvent.PageRead::new);
    } else if (request instanceof FetchState state) {
      answer =
          readApi
              .state(dataset, state.clientIdent(), state.salt())
              .map(SessionEvent.StatePageRead::new);
    } else {
      answer =
          readApi
              .stateNext(dataset, (WireStatePage) ((FetchStateNext) request).previous())
              .map(SessionEvent.StatePageRead::new);
    }
    answer.onComplete(
        result ->
            feed(binding, result.succeeded() ? result.result() : failed(request, result.cause())));
  }

  private SessionEvent.ReadFailed failed(ReadRequest request, Throwable error) {
    io.tributary.core.session.ReadFailure failure = ReadApiClient.ReadApiException.of(error);
    if (failure == io.tributary.core.session.ReadFailure.UNAVAILABLE) {
      LOG.warn("Reading history for connection {} failed: {}", id, error.toString());
    }
    return new SessionEvent.ReadFailed(request, failure, error.getMessage());
  }

  private void send(ServerMessage message) {
    if (message instanceof ServerMessage.Error error) {
      services.metrics().error(error.code());
    } else if (message instanceof ServerMessage.Download download) {
      services.metrics().downloaded(download.changesets().size());
    }
    write(Messages.toWire(message));
  }

  private void write(io.tributary.schemas.ServerMessage message) {
    if (socket.isClosed()) {
      return;
    }
    byte[] frame = Frames.encode(message);
    services.metrics().sent(frame.length);
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "Connection {} -> {} ({} bytes)",
          id,
          message.getBody().getClass().getSimpleName(),
          frame.length);
    }
    socket.writeBinaryMessage(Buffer.buffer(frame));
  }

  private void onDrained() {
    pausedSinceNanos = -1;
    updateReading();
    List<Runnable> waiters = List.copyOf(drainWaiters);
    drainWaiters.clear();
    waiters.forEach(Runnable::run);
  }

  /**
   * Ends the connection once nothing at all has come from the client for the idle timeout, or once
   * it has not read what it was sent for the slow-reader timeout. Called by its event loop's {@link
   * ConnectionWatch}.
   */
  void checkAlive(ConnectionPolicy policy) {
    long now = System.nanoTime();
    if (pausedSinceNanos >= 0) {
      long stuckMillis = (now - pausedSinceNanos) / 1_000_000;
      if (stuckMillis >= policy.slowReaderTimeout().toMillis()) {
        fail(
            ErrorCode.TOO_SLOW,
            "what the server sent was not read for " + stuckMillis / 1000 + " s");
      }
      return;
    }
    if (!reading) {
      return; // Held at the upload limit: the client's silence is ours.
    }
    long silentMillis = (now - lastHeardNanos) / 1_000_000;
    if (silentMillis >= policy.idleTimeout().toMillis()) {
      fail(
          ErrorCode.IDLE_TIMEOUT,
          "nothing received for "
              + silentMillis / 1000
              + " s; send PING to keep an idle connection open");
    }
  }

  /** What an operator sees of this connection, read on its event loop. */
  java.util.concurrent.CompletableFuture<ClientSummary> describe() {
    java.util.concurrent.CompletableFuture<ClientSummary> summary =
        new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(
        ignored ->
            summary.complete(
                new ClientSummary(
                    id, address, connectedSince, machine.summaries(), uploadsInFlight)));
    return summary;
  }

  /** An operator closes the connection: the client is told so, and may come back. */
  void closeByOperator() {
    context.runOnContext(
        ignored -> {
          if (!closed) {
            fail(ErrorCode.CLOSED_BY_OPERATOR, "closed by an operator from the admin console");
          }
        });
  }

  /** A connection-level error: tell the client, end every session and close. */
  private void fail(ErrorCode error, String message) {
    run(machine.fail(error, message));
  }

  private void closeWith(ErrorCode error, String message) {
    if (socket.isClosed()) {
      onClosed();
      return;
    }
    LOG.debug("Connection {} failed: {} {}", id, error, message);
    send(new ServerMessage.Error(0, error, message));
    onClosed();
    if (error == ErrorCode.TOO_SLOW) {
      cut();
    } else {
      socket.close((short) 1002, error.name());
    }
  }

  /**
   * Closes the TCP connection at once, with a reset. A closing handshake, or Vert.x's own close,
   * would wait for everything queued to be written first, which a client that reads nothing never
   * lets happen: so the socket is closed under the pipeline, dropping the queue.
   */
  private void cut() {
    if (tcp instanceof io.vertx.core.net.impl.ConnectionBase base) {
      io.netty.channel.Channel channel = base.channel();
      channel.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
      channel.unsafe().close(channel.voidPromise());
    } else {
      tcp.close();
    }
  }

  private void onClosed() {
    if (!closed) {
      closed = true;
      services.metrics().disconnected();
      services.registry().disconnected(this);
      LOG.debug("Connection {} closed", id);
      watch.remove(this);
      drainWaiters.clear();
      run(machine.close());
      budget.leave(budgetFreed);
      services.counts().release(address);
    }
  }
}
