package io.tributary.server.bench;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.schemas.codec.Frames;
import io.tributary.schemas.codec.Handshake;
import io.tributary.schemas.codec.Messages;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Open-loop load on a running sync server: N clients on D datasets, changesets sent at a fixed
 * aggregate rate whatever the server does, latency counted from each changeset's <em>scheduled</em>
 * send time (so a server that falls behind shows it). Per changeset: the writer's acknowledgement,
 * the first other client of its dataset to apply it, and the last (fan-out). Clients speak the
 * protocol on a shared Vert.x event loop, two at most: no thread or selector per client, or the
 * driver would measure itself.
 *
 * <p>{@code bench/load.sh} runs it against {@code ./sync-server}; see docs/benchmarks.md.
 *
 * <pre>
 * LoadDriver --url ws://127.0.0.1:9999 --clients 1000 --datasets 100 --rate 1000
 *            [--warmup 5] [--seconds 20] [--server-pid PID] [--broker-pid PID]
 *            [--search [--first-warmup S]]
 *            [--idle] [--window N]
 *            [--metrics-url http://127.0.0.1:9980/metrics]
 * </pre>
 */
public final class LoadDriver {

  private final URI url;
  private final int clients;
  private final int datasets;
  private final long serverPid;

  /** The broker's process when it runs alone (0: in the server's): counted as the server's. */
  private final long brokerPid;

  /** The server's own time from reading a changeset to answering it, if its metrics are known. */
  private final ServerMetrics serverMetrics;

  /** Changesets a client has unacknowledged before it keeps new ones back; 0: no limit. */
  private final int window;

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final WebSocketClient sockets;

  private LoadDriver(
      URI url, int clients, int datasets, long serverPid, long brokerPid, int window, URI metrics) {
    this.brokerPid = brokerPid;
    this.url = url;
    this.serverMetrics = metrics == null ? null : new ServerMetrics(metrics);
    this.window = window;
    this.clients = clients;
    this.datasets = datasets;
    this.serverPid = serverPid;
    this.sockets =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxFrameSize(16 * 1024 * 1024)
                .setMaxMessageSize(16 * 1024 * 1024)
                .setTryUsePerMessageCompression(false)
                // Every client is a connection of its own; Vert.x queues those above this.
                .setMaxConnections(Math.max(1, clients)));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    LoadDriver driver =
        new LoadDriver(
            URI.create(options.getOrDefault("url", "ws://127.0.0.1:9999")),
            Integer.parseInt(options.getOrDefault("clients", "1000")),
            Integer.parseInt(options.getOrDefault("datasets", "100")),
            Long.parseLong(options.getOrDefault("server-pid", "0")),
            Long.parseLong(options.getOrDefault("broker-pid", "0")),
            Integer.parseInt(options.getOrDefault("window", "0")),
            options.containsKey("metrics-url") ? URI.create(options.get("metrics-url")) : null);
    int rate = Integer.parseInt(options.getOrDefault("rate", "1000"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
    try {
      if (options.containsKey("connects")) {
        driver.connects(Integer.parseInt(options.get("connects")));
      } else if (options.containsKey("idle")) {
        driver.idle(warmup, seconds);
      } else if (options.containsKey("search")) {
        int firstWarmup = Integer.parseInt(options.getOrDefault("first-warmup", "" + warmup));
        driver.search(rate, firstWarmup, warmup, seconds);
      } else {
        System.out.println(driver.trial(rate, warmup, seconds).report());
      }
    } finally {
      driver.vertx.close().await(10, TimeUnit.SECONDS);
    }
    System.exit(0);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i].replaceFirst("^--", "");
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      options.put(name, flag ? "" : args[++i]);
    }
    return options;
  }

  /**
   * The highest rate the server sustains: fan-out p99 at most 100 ms and at least 90 % of the
   * offered rate achieved. Steps the rate up by half until a trial fails, then bisects. The first
   * trial's warm-up may be longer: the JIT compiles for minutes after a start, and a search that
   * stops at a trial the compiler took half a core from measures the compiler.
   */
  private void search(int start, int firstWarmup, int warmup, int seconds) throws Exception {
    int good = 0;
    int bad = 0;
    for (int rate = start; bad == 0; rate = rate * 3 / 2) {
      if (sustains(rate, good == 0 ? firstWarmup : warmup, seconds)) {
        good = rate;
      } else {
        bad = rate;
      }
    }
    for (int step = 0; step < 3 && bad - good > Math.max(20, good / 20); step++) {
      int rate = (good + bad) / 2;
      if (sustains(rate, warmup, seconds)) {
        good = rate;
      } else {
        bad = rate;
      }
    }
    System.out.printf(
        "max sustained: %d changesets/s (fan-out p99 <= 100 ms, >= 90%% achieved)%n", good);
  }

  /** One trial of the search, reported. */
  private boolean sustains(int rate, int warmup, int seconds) throws Exception {
    Result result = trial(rate, warmup, seconds);
    System.out.println(result.report());
    return result.sustained();
  }

  /**
   * Connects and binds every client (fresh idents, fresh datasets), closes them, and again: the
   * first rounds show a cold server and driver, the later ones what a running server does.
   */
  private void connects(int rounds) throws Exception {
    for (int round = 1; round <= rounds; round++) {
      long started = System.nanoTime();
      List<Client> connected = connect("connects-" + Long.toString(System.nanoTime(), 36));
      System.out.printf(
          "round %d: %d clients on %d datasets connected and bound in %.2f s%n",
          round, clients, datasets, (System.nanoTime() - started) / 1e9);
      connected.forEach(Client::close);
    }
  }

  /** Holds the clients connected and bound, silent but for PINGs: what an idle server costs. */
  private void idle(int settle, int seconds) throws Exception {
    List<Client> connected = connect("idle-" + System.nanoTime());
    TimeUnit.SECONDS.sleep(settle); // The JIT and the connects' work settle before measuring.
    long cpu = serverCpuTicks();
    long self = cpuTicks(0);
    Map<String, Long> threads = serverThreadTicks();
    long started = System.nanoTime();
    // Each client pings as often as the SDK does on an idle connection (SyncClient's default,
    // 60 s), spread over the minute: a sixtieth of them every second.
    AtomicLong turn = new AtomicLong();
    long ping =
        vertx.setPeriodic(
            1_000,
            id -> {
              long second = turn.getAndIncrement() % 60;
              for (int i = (int) second; i < connected.size(); i += 60) {
                connected.get(i).ping();
              }
            });
    TimeUnit.SECONDS.sleep(seconds); // A measuring window, not a wait for a result.
    vertx.cancelTimer(ping);
    double window = (System.nanoTime() - started) / 1e9;
    Map<String, Long> threadsEnd = serverThreadTicks();
    threadsEnd.replaceAll((name, ticks) -> ticks - threads.getOrDefault(name, 0L));
    System.out.printf(
        "idle: %d sessions held for %.0f s (after %d s); server CPU %.1f %% of a core, driver %.1f %%,"
            + " server RSS %d MiB%n  server threads (%% of a core): %s%n",
        connected.size(),
        window,
        settle,
        percentOfCore(serverCpuTicks() - cpu, window),
        percentOfCore(cpuTicks(0) - self, window),
        serverRssKib() / 1024,
        threadReport(threadsEnd, window));
    connected.forEach(Client::close);
  }

  /** One trial: fresh datasets, every client connected and caught up, then the load. */
  private Result trial(int rate, int warmup, int seconds) throws Exception {
    String prefix = "load-" + Long.toString(System.nanoTime(), 36);
    long connecting = System.nanoTime();
    List<Client> connected = connect(prefix);
    double connectSeconds = (System.nanoTime() - connecting) / 1e9;
    Load load = new Load(connected, rate, warmup, seconds);
    Result result = load.run();
    connected.forEach(Client::close);
    return result.withConnect(connectSeconds);
  }

  /**
   * Connects and binds every client, 200 handshakes at a time; each gets an ident and its state.
   */
  private List<Client> connect(String prefix) throws InterruptedException {
    List<Client> all = new ArrayList<>(clients);
    CountDownLatch ready = new CountDownLatch(clients);
    Semaphore handshakes = new Semaphore(200);
    for (int i = 0; i < clients; i++) {
      handshakes.acquire();
      Client client = new Client(prefix + "-" + (i % datasets), ready, handshakes);
      all.add(client);
      client.open();
    }
    if (!ready.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException(ready.getCount() + " clients did not get ready");
    }
    if (clients > 0) {
      System.out.println(connectPhases(all));
    }
    return all;
  }

  /** Where a connect's time went: p50 / p99 of each step over every client. */
  private static String connectPhases(List<Client> all) {
    String[] steps = {"socket open", "ident allocated", "caught up"};
    StringBuilder report = new StringBuilder("  connect steps, p50 / p99 ms:");
    for (int step = 0; step < steps.length; step++) {
      Histogram histogram = new Histogram(3);
      for (Client client : all) {
        histogram.recordValue(Math.max(0, client.phases[step + 1] - client.phases[step]) / 1_000);
      }
      report.append(
          String.format(
              " %s %.1f / %.1f;",
              steps[step],
              histogram.getValueAtPercentile(50) / 1e3,
              histogram.getValueAtPercentile(99) / 1e3));
    }
    return report.toString();
  }

  /** The load of one trial: who sends what when, and what arrived when. */
  private final class Load {
    private final List<Client> clients;
    private final int rate;
    private final long intervalNanos;
    private final long start;
    private final long measureFrom;
    private final long measureTo;
    private final Map<String, Integer> receivers = new ConcurrentHashMap<>();
    private final Map<Long, Tracked> pending = new ConcurrentHashMap<>();
    private final Recorder accepted = new Recorder(3);
    private final Recorder ack = new Recorder(3);
    private final Recorder first = new Recorder(3);
    private final Recorder fanout = new Recorder(3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();

    /** Acknowledgements that came during the measured window, whenever their changeset was due. */
    private final AtomicLong acknowledgedInWindow = new AtomicLong();

    private final AtomicLong fannedOut = new AtomicLong();
    private final AtomicLong deliveries = new AtomicLong();
    private long nextSequence;

    Load(List<Client> clients, int rate, int warmup, int seconds) {
      this.clients = clients;
      this.rate = rate;
      this.intervalNanos = 1_000_000_000L / rate;
      this.start = System.nanoTime() + 100_000_000L;
      this.measureFrom = start + warmup * 1_000_000_000L;
      this.measureTo = measureFrom + seconds * 1_000_000_000L;
      clients.forEach(client -> receivers.merge(client.dataset, 1, Integer::sum));
      receivers.replaceAll((dataset, count) -> count - 1);
      clients.forEach(client -> client.load = this);
    }

    Result run() throws InterruptedException, java.io.IOException {
      CountDownLatch done = new CountDownLatch(1);
      // One timer drives the schedule: each tick sends what is due since the last.
      long timer =
          vertx.setPeriodic(
              1,
              id -> {
                long now = System.nanoTime();
                while (start + nextSequence * intervalNanos <= now
                    && start + nextSequence * intervalNanos < measureTo) {
                  long sequence = nextSequence++;
                  long due = start + sequence * intervalNanos;
                  pending.put(sequence, new Tracked(due));
                  clients.get((int) (sequence % clients.size())).write(sequence);
                  if (due >= measureFrom) {
                    sent.incrementAndGet();
                  }
                }
                if (start + nextSequence * intervalNanos >= measureTo) {
                  vertx.cancelTimer(id);
                  done.countDown();
                }
              });
      // CPU counts over the measured window only, after the warm-up.
      TimeUnit.NANOSECONDS.sleep(Math.max(0, measureFrom - System.nanoTime()));
      long cpu = serverCpuTicks();
      long self = cpuTicks(0);
      Map<String, Long> threads = serverThreadTicks();
      ServerMetrics.Scrape scraped = serverMetrics == null ? null : serverMetrics.read();
      long rssBefore = serverRssKib();
      long measuring = System.nanoTime();
      done.await();
      String answers = "-";
      if (serverMetrics != null) {
        ServerMetrics.Scrape end = serverMetrics.read();
        answers =
            ServerMetrics.percentiles("tributary_gateway_upload_latency_seconds", scraped, end)
                + "; old generation "
                + ServerMetrics.oldGeneration(scraped, end);
      }
      long cpuEnd = serverCpuTicks();
      Map<String, Long> threadsEnd = serverThreadTicks();
      long selfEnd = cpuTicks(0);
      double window = (System.nanoTime() - measuring) / 1e9;
      long rss = serverRssKib();
      threadsEnd.replaceAll((name, ticks) -> ticks - threads.getOrDefault(name, 0L));
      String perThread = threadReport(threadsEnd, window);
      // What is still on its way gets ten seconds to arrive.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline && !pending.isEmpty()) {
        TimeUnit.MILLISECONDS.sleep(50); // A grace period for late arrivals, not a wait for one.
      }
      vertx.cancelTimer(timer);
      double measured = (measureTo - measureFrom) / 1e9;
      return new Result(
          clients.size(),
          receivers.size(),
          rate,
          measured,
          sent.get() / measured,
          acknowledged.get() / measured,
          acknowledgedInWindow.get() / measured,
          fannedOut.get() / measured,
          deliveries.get() / measured,
          ack.getIntervalHistogram(),
          first.getIntervalHistogram(),
          fanout.getIntervalHistogram(),
          accepted.getIntervalHistogram(),
          percentOfCore(cpuEnd - cpu, window),
          percentOfCore(selfEnd - self, window),
          rssBefore / 1024,
          rss / 1024,
          unfinished(),
          0,
          answers,
          perThread);
    }

    /** The writer heard its changeset acknowledged (upload progress reached it). */
    void acknowledged(long sequence, long sentAt, long now) {
      Tracked tracked = pending.get(sequence);
      if (tracked == null) {
        return;
      }
      if (now >= measureFrom && now < measureTo) {
        acknowledgedInWindow.incrementAndGet();
      }
      if (tracked.due >= measureFrom) {
        ack.recordValue(Math.max(0, now - tracked.due) / 1000);
        accepted.recordValue(Math.max(0, now - sentAt) / 1000);
        acknowledged.incrementAndGet();
      }
      finishIf(sequence, tracked, tracked.acknowledge());
    }

    /** Another client of the dataset applied the changeset. */
    void arrived(long sequence, String dataset, long now) {
      Tracked tracked = pending.get(sequence);
      if (tracked == null) {
        return;
      }
      boolean measured = tracked.due >= measureFrom;
      int count = tracked.arrivals.incrementAndGet();
      if (measured) {
        deliveries.incrementAndGet();
        if (count == 1) {
          first.recordValue(Math.max(0, now - tracked.due) / 1000);
        }
        if (count == receivers.get(dataset)) {
          fanout.recordValue(Math.max(0, now - tracked.due) / 1000);
          fannedOut.incrementAndGet();
        }
      }
      finishIf(sequence, tracked, tracked.acknowledged());
    }

    private void finishIf(long sequence, Tracked tracked, boolean acknowledged) {
      int others = receivers.get(clientOf(sequence).dataset);
      if (acknowledged && tracked.arrivals.get() >= others) {
        pending.remove(sequence);
      }
    }

    /** Measured changesets not acknowledged or not at every other client by the end. */
    private int unfinished() {
      return (int) pending.values().stream().filter(tracked -> tracked.due >= measureFrom).count();
    }

    Client clientOf(long sequence) {
      return clients.get((int) (sequence % clients.size()));
    }
  }

  /** What became of one changeset so far. */
  private static final class Tracked {
    final long due;
    final AtomicInteger arrivals = new AtomicInteger();
    private boolean acknowledged;

    Tracked(long due) {
      this.due = due;
    }

    synchronized boolean acknowledge() {
      acknowledged = true;
      return true;
    }

    synchronized boolean acknowledged() {
      return acknowledged;
    }
  }

  /** One simulated client: a WebSocket, one session, its own changesets by sequence number. */
  private final class Client {
    private static final long SESSION = 1;
    private final String dataset;
    private final CountDownLatch ready;
    private final Semaphore handshakes;

    /** By client version: the sequence number and when it was sent. */
    private final java.util.NavigableMap<Long, long[]> unacknowledged = new java.util.TreeMap<>();

    /** Due but kept back while the window is full. */
    private final java.util.ArrayDeque<Long> held = new java.util.ArrayDeque<>();

    private volatile WebSocket socket;
    private volatile Load load;
    private long ident;
    private long version;
    private long clientVersion;
    private boolean caughtUp;

    /** When the connect began, the socket opened, the ident came and the client caught up. */
    private final long[] phases = new long[4];

    Client(String dataset, CountDownLatch ready, Semaphore handshakes) {
      this.dataset = dataset;
      this.ready = ready;
      this.handshakes = handshakes;
    }

    void open() {
      phases[0] = System.nanoTime();
      WebSocketConnectOptions options =
          new WebSocketConnectOptions()
              .setHost(url.getHost())
              .setPort(url.getPort())
              .setURI("/")
              .setSubProtocols(List.of(Handshake.currentSubprotocol()));
      sockets
          .connect(options)
          .onComplete(
              opened -> {
                handshakes.release();
                if (opened.failed()) {
                  System.err.println("connect failed: " + opened.cause());
                  return;
                }
                phases[1] = System.nanoTime();
                socket = opened.result();
                socket.binaryMessageHandler(this::received);
                send(new ClientMessage.Bind(SESSION, dataset, null, true));
              });
    }

    synchronized void received(Buffer frame) {
      long now = System.nanoTime();
      ServerMessage message = Messages.fromWire(Frames.decodeServer(frame.getBytes()));
      if (message instanceof ServerMessage.ServerIdent allocated) {
        phases[2] = now;
        ident = allocated.clientIdent();
        send(new ClientMessage.Ident(SESSION, ident, allocated.salt(), 0, 0, 0));
      } else if (message instanceof ServerMessage.Download download) {
        version = download.header().serverVersion();
        for (ServerMessage.DownloadedChangeset entry : download.changesets()) {
          long sequence = sequenceOf(entry.changeset());
          if (sequence >= 0 && load != null) {
            load.arrived(sequence, dataset, now);
          }
        }
        acknowledge(download.header().uploadProgress(), now);
        if (!caughtUp && version >= download.header().latestServerVersion()) {
          caughtUp = true;
          phases[3] = now;
          ready.countDown();
        }
      } else if (message instanceof ServerMessage.Error error) {
        System.err.println(dataset + ": " + error);
      }
    }

    /** Upload progress reached {@code progress}: those changesets are acknowledged. */
    private synchronized void acknowledge(long progress, long now) {
      var done = unacknowledged.headMap(progress, true);
      if (load != null) {
        done.values().forEach(sent -> load.acknowledged(sent[0], sent[1], now));
      }
      done.clear();
      if (!held.isEmpty()) {
        int room = window - unacknowledged.size();
        List<Long> next = new ArrayList<>();
        while (room-- > 0 && !held.isEmpty()) {
          next.add(held.poll());
        }
        upload(next);
      }
    }

    /**
     * A changeset is due: sent at once, or kept pending (as the SDK does) while {@code window}
     * changesets of this client await their acknowledgement.
     */
    synchronized void write(long sequence) {
      if (window > 0 && (unacknowledged.size() >= window || !held.isEmpty())) {
        held.add(sequence);
      } else {
        upload(List.of(sequence));
      }
    }

    /** One UPLOAD of changesets that carry their sequence numbers. */
    private void upload(List<Long> sequences) {
      if (sequences.isEmpty()) {
        return;
      }
      long now = System.nanoTime();
      List<Changeset> changesets = new ArrayList<>(sequences.size());
      for (long sequence : sequences) {
        long cv = ++clientVersion;
        unacknowledged.put(cv, new long[] {sequence, now});
        ObjectKey task = new ObjectKey("Task", 1 + sequence % 50);
        changesets.add(
            new Changeset(
                cv,
                version,
                System.currentTimeMillis(),
                ident,
                List.of(
                    new Instruction.CreateObject(task),
                    new Instruction.Update(task, "priority", Value.of(sequence)))));
      }
      send(new ClientMessage.Upload(SESSION, changesets));
    }

    void ping() {
      send(new ClientMessage.Ping(System.currentTimeMillis()));
    }

    private void send(ClientMessage message) {
      WebSocket target = socket;
      if (target != null) {
        target.writeBinaryMessage(Buffer.buffer(Frames.encode(Messages.toWire(message))));
      }
    }

    void close() {
      WebSocket target = socket;
      if (target != null) {
        target.close();
      }
    }
  }

  /** The sequence number a changeset of the load carries, or -1. */
  private static long sequenceOf(Changeset changeset) {
    for (Instruction instruction : changeset.instructions()) {
      if (instruction instanceof Instruction.Update update
          && update.property().equals("priority")
          && update.value() instanceof Value.Int number) {
        return number.value();
      }
    }
    return -1;
  }

  /** What one trial measured. */
  private record Result(
      int clients,
      int datasets,
      int offered,
      double seconds,
      double sentPerSecond,
      double acknowledgedPerSecond,
      double acknowledgedInWindowPerSecond,
      double fannedOutPerSecond,
      double deliveriesPerSecond,
      org.HdrHistogram.Histogram ack,
      org.HdrHistogram.Histogram first,
      org.HdrHistogram.Histogram fanout,
      org.HdrHistogram.Histogram accepted,
      double serverCpu,
      double driverCpu,
      long serverRssBeforeMib,
      long serverRssMib,
      int unfinished,
      double connectSeconds,
      String serverAnswers,
      String perThread) {

    /** Fan-out p99 at most 100 ms and at least 90 % of the offered rate through. */
    boolean sustained() {
      boolean fans = fanout.getTotalCount() > 0;
      double through = fans ? fannedOutPerSecond : acknowledgedPerSecond;
      double p99 = (fans ? fanout : ack).getValueAtPercentile(99) / 1000.0;
      return through >= 0.9 * offered && p99 <= 100;
    }

    Result withConnect(double connect) {
      return new Result(
          clients,
          datasets,
          offered,
          seconds,
          sentPerSecond,
          acknowledgedPerSecond,
          acknowledgedInWindowPerSecond,
          fannedOutPerSecond,
          deliveriesPerSecond,
          ack,
          first,
          fanout,
          accepted,
          serverCpu,
          driverCpu,
          serverRssBeforeMib,
          serverRssMib,
          unfinished,
          connect,
          serverAnswers,
          perThread);
    }

    String report() {
      return String.format(
          "%d clients on %d datasets, offered %d/s for %.0f s (connected and bound in %.2f s):%n"
              + "  achieved: sent %.0f/s, acknowledged %.0f/s (%.0f/s during the window), fanned"
              + " out %.0f/s, deliveries %.0f/s;"
              + " %d unfinished%n"
              + "  ack      %s%n  first    %s%n  fan-out  %s%n"
              + "  ack from the actual send: %s%n"
              + "  server, from reading a changeset to answering it (what it accepted): %s%n"
              + "  CPU: server %.0f %% of a core, driver %.0f %%; server RSS %d -> %d MiB%s%n"
              + "  server threads (%% of a core): %s",
          clients,
          datasets,
          offered,
          seconds,
          connectSeconds,
          sentPerSecond,
          acknowledgedPerSecond,
          acknowledgedInWindowPerSecond,
          fannedOutPerSecond,
          deliveriesPerSecond,
          unfinished,
          summary(ack),
          summary(first),
          summary(fanout),
          summary(accepted),
          serverAnswers,
          serverCpu,
          driverCpu,
          serverRssBeforeMib,
          serverRssMib,
          sustained() ? "" : "  (not sustained)",
          perThread);
    }

    private static String summary(org.HdrHistogram.Histogram histogram) {
      if (histogram.getTotalCount() == 0) {
        return "-";
      }
      return String.format(
          "p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)",
          histogram.getValueAtPercentile(50) / 1000.0,
          histogram.getValueAtPercentile(99) / 1000.0,
          histogram.getMaxValue() / 1000.0,
          histogram.getTotalCount());
    }
  }

  /** CPU time (user and system, in clock ticks of 10 ms) of a process; 0: this one. */
  /** The server's CPU, the broker's added when it runs alone. */
  private long serverCpuTicks() {
    return cpuTicks(serverPid) + (brokerPid == 0 ? 0 : cpuTicks(brokerPid));
  }

  private Map<String, Long> serverThreadTicks() {
    Map<String, Long> ticks = threadTicks(serverPid);
    if (brokerPid != 0) {
      threadTicks(brokerPid).forEach((name, count) -> ticks.merge(name, count, Long::sum));
    }
    return ticks;
  }

  private long serverRssKib() {
    return rssKib(serverPid) + (brokerPid == 0 ? 0 : rssKib(brokerPid));
  }

  private static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + (pid == 0 ? "self" : pid) + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * CPU ticks of a process's threads, summed by name with the numbers taken out, so that a pool's
   * threads add up ("kafka-producer-network-thread", "vert.x-eventloop-thread-").
   */
  private static Map<String, Long> threadTicks(long pid) {
    Map<String, Long> ticks = new java.util.TreeMap<>();
    if (pid == 0) {
      return ticks;
    }
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      tasks.forEach(
          task -> {
            try {
              String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#");
              String stat = Files.readString(task.resolve("stat"));
              String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
              ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
            } catch (java.io.IOException | RuntimeException gone) {
              // The thread ended between the listing and the read.
            }
          });
    } catch (java.io.IOException e) {
      return ticks;
    }
    return ticks;
  }

  private static String threadReport(Map<String, Long> ticks, double seconds) {
    return ticks.entrySet().stream()
        .filter(entry -> entry.getValue() / seconds >= 1)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(entry -> String.format("%s %.0f", entry.getKey(), entry.getValue() / seconds))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private static double percentOfCore(long ticks, double seconds) {
    return ticks / seconds; // 100 ticks a second is one core: ticks per second is the percentage.
  }

  private static long rssKib(long pid) {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc/" + (pid == 0 ? "self" : pid) + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (java.io.IOException e) {
      return 0;
    }
    return 0;
  }
}
