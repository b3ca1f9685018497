package io.tributary.server;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The admin HTTP port (9980): {@code /health/live}, {@code /health/ready} (only once everything has
 * started) and {@code /metrics} in Prometheus's text format, JVM metrics included.
 */
public final class AdminServer implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdminServer.class);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final BooleanSupplier ready;
  private final AdminGuard guard;
  private final java.util.Set<String> proxies;
  private final boolean tls;
  private final SyncStatistics statistics = new SyncStatistics(registry);
  private HttpServer server;
  private volatile AdminApi api;
  private volatile String noUi;
  private volatile AdminAccess access; // Null until the users are read: only health answers.
  private volatile AdminUserApi userApi;
  private volatile Thread loadingUsers;
  private volatile io.tributary.kafka.AdminUserStore users;

  private AdminServer(BooleanSupplier ready, AdminGuard guard, Options options) {
    this.ready = ready;
    this.guard = guard;
    this.proxies = options.proxies();
    this.tls = options.tls() != null;
    Metrics.addRegistry(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * Listens on {@code host:port} (0: a free port); {@code ready} answers readiness probes. Only
   * health answers until {@link #useUsers} has read the users.
   */
  public static AdminServer start(String host, int port, BooleanSupplier ready) {
    return start(host, port, ready, java.util.Set.of());
  }

  /**
   * As {@link #start(String, int, BooleanSupplier)}, answering to {@code hostNames} besides IP
   * addresses and localhost.
   */
  static AdminServer start(
      String host, int port, BooleanSupplier ready, java.util.Set<String> hostNames) {
    return start(host, port, ready, new Options(hostNames, java.util.Set.of(), null));
  }

  /**
   * How the admin port meets its callers.
   *
   * @param hostNames host names it answers to besides IP addresses and localhost
   * @param proxies IP addresses of reverse proxies whose {@code X-Forwarded-For} it believes
   * @param tls its certificate and key if it speaks TLS; null for plain HTTP
   */
  record Options(
      java.util.Set<String> hostNames,
      java.util.Set<String> proxies,
      io.tributary.gateway.TlsFiles tls) {}

  /** As {@link #start(String, int, BooleanSupplier)}, with {@code options}. */
  static AdminServer start(String host, int port, BooleanSupplier ready, Options options) {
    AdminServer admin = new AdminServer(ready, new AdminGuard(options.hostNames()), options);
    admin.server =
        admin.vertx.createHttpServer(serverOptions(options.tls())).requestHandler(admin::handle);
    // The console's charts: every second, what the meters say (cheap: a few dozen reads).
    admin.vertx.setPeriodic(
        1_000, id -> admin.statistics.sample(java.time.Instant.now().getEpochSecond()));
    try {
      admin.server.listen(port, host).await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      admin.close();
      throw new IllegalStateException("the admin port " + host + ":" + port + " did not open");
    } catch (Exception e) { // Vert.x rethrows the bind failure as it is, checked or not.
      admin.close();
      throw new IllegalStateException(
          "cannot listen on the admin port " + host + ":" + port + ": " + e.getMessage());
    }
    return admin;
  }

  public int port() {
    return server.actualPort();
  }

  /** Its address as a browser opens it, at {@code host}: {@code http(s)://host:port}. */
  String url(String host) {
    return (tls ? "https://" : "http://") + host + ":" + port();
  }

  /** HTTP/1.1; with TLS, the same protocols and suites as the sync port's. */
  private static io.vertx.core.http.HttpServerOptions serverOptions(
      io.tributary.gateway.TlsFiles tls) {
    // HTTP/1.1 only, as the sync port: browsers and Prometheus speak it, and the JDK client's h2c
    // upgrade had a second request on its connection reset (RST_STREAM) under load.
    io.vertx.core.http.HttpServerOptions options =
        new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false);
    return tls == null ? options : tls.applyTo(options);
  }

  /**
   * Follows the cluster's admin users (in Kafka at {@code bootstrap}) and, once they are read and a
   * first admin is sure to exist, asks every request but health probes for one of them.
   *
   * @param configured the {@code adminAuth} account, made or set again as an admin
   * @param console the console's address, for the log line of a one-time password
   */
  void useUsers(
      String bootstrap,
      io.tributary.kafka.Topics topics,
      java.util.Optional<AdminCredentials> configured,
      String console) {
    io.tributary.kafka.AdminUserStore store =
        io.tributary.kafka.AdminUserStore.follow(bootstrap, topics, "admin-users");
    users = store;
    Thread loading =
        new Thread(
            () -> {
              try {
                while (!store.awaitLoaded(java.time.Duration.ofSeconds(30))) {
                  LOG.warn("Still reading the admin users from {}", topics.adminUsers());
                }
                java.util.Optional<String> oneTime = FirstAdmin.ensure(store, configured, console);
                AdminAccess opened = new AdminAccess(vertx, store, proxies);
                userApi = new AdminUserApi(vertx, opened);
                access = opened;
                oneTime.ifPresent(
                    hash -> vertx.setTimer(5_000, id -> FirstAdmin.checkStayed(store, hash)));
              } catch (InterruptedException e) {
                // Closing: close() closes the store.
              } catch (RuntimeException e) {
                LOG.error(
                    "Cannot set up the admin users; the admin port answers 503: {}",
                    e.getMessage());
              }
            },
            "admin-users-loading");
    loading.setDaemon(true);
    loadingUsers = loading;
    loading.start();
  }

  /** Whether the users are read and requests are let in. */
  boolean usersReady() {
    return access != null;
  }

  /** Waits until {@link #usersReady()}; false if that takes longer than {@code timeout}. */
  boolean awaitUsers(java.time.Duration timeout) throws InterruptedException {
    Thread loading = loadingUsers;
    if (loading != null) {
      loading.join(timeout.toMillis());
    }
    return usersReady();
  }

  /** Shows {@code view} in the web UI from now on; until then the UI answers 503. */
  void show(AdminView view) {
    api = new AdminApi(vertx, view, statistics);
  }

  /**
   * A role alone has no web UI (the data and the schema versions live with the whole server):
   * health, metrics and the log level only.
   */
  void withoutUi(String role) {
    noUi = "the admin port of a " + role + " alone serves /health, /metrics and /log-level\n";
  }

  private void handle(HttpServerRequest request) {
    AdminGuard.protect(request);
    java.util.Optional<AdminGuard.Refusal> refusal = guard.refusal(request);
    if (refusal.isPresent()) {
      request.response().setStatusCode(refusal.get().status()).end(refusal.get().reason() + "\n");
      return;
    }
    if (request.path().startsWith("/health/")) {
      health(request);
      return;
    }
    AdminApi shown = api;
    if (shown != null && shown.serveFile(request)) {
      return; // The page, its script and styles: no data, and the login form needs them.
    }
    AdminAccess opened = access;
    if (opened == null) {
      request.response().setStatusCode(503).end("starting: the admin users are not read yet\n");
      return;
    }
    if (userApi.handle(request)) {
      return;
    }
    request.pause();
    opened
        .caller(request)
        .onSuccess(
            caller -> {
              try {
                AdminAccess.permit(caller, request);
                route(request);
              } catch (AdminAccess.Refused refused) {
                AdminUserApi.refuse(request.response(), refused);
              }
              request.resume();
            })
        .onFailure(
            failure -> {
              if (!request.path().startsWith("/api/")) {
                // Scripts and scrapers get the challenge; the console shows its own login form.
                request.response().putHeader("WWW-Authenticate", REALM);
              }
              AdminUserApi.refuse(request.response(), failure);
              request.resume();
            });
  }

  static final String REALM = "Basic realm=\"Tributary admin\", charset=\"UTF-8\"";

  private void route(HttpServerRequest request) {
    AdminApi shown = api;
    if (shown != null && shown.handle(request)) {
      return;
    }
    boolean ui = request.path().equals("/") || request.path().startsWith("/api/");
    if (ui && noUi != null) {
      request.response().setStatusCode(404).end(noUi);
      return;
    }
    if (shown == null && ui) {
      request.response().setStatusCode(503).end("starting\n");
      return;
    }
    switch (request.path()) {
      case "/metrics" -> metrics(request);
      case "/log-level" -> logLevel(request);
      default -> request.response().setStatusCode(404).end("not found\n");
    }
  }

  private void health(HttpServerRequest request) {
    switch (request.path()) {
      case "/health/live" -> request.response().end("live\n");
      case "/health/ready" -> {
        boolean isReady = ready.getAsBoolean();
        request
            .response()
            .setStatusCode(isReady ? 200 : 503)
            .end(isReady ? "ready\n" : "starting or stopping\n");
      }
      default -> request.response().setStatusCode(404).end("not found\n");
    }
  }

  /**
   * A scrape that throws (a meter added or removed while it reads them) answers 500 instead of
   * leaving the request without an answer, which held a scraper until its own timeout.
   */
  private void metrics(HttpServerRequest request) {
    String text;
    try {
      text = registry.scrape();
    } catch (RuntimeException e) {
      LOG.warn("A metrics scrape failed: {}", e.toString());
      request.response().setStatusCode(500).end("the scrape failed: " + e + "\n");
      return;
    }
    request
        .response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(text);
  }

  /**
   * {@code GET /log-level[?logger=name]} tells the level; {@code PUT} with the level as its body
   * changes it while the server runs: {@code curl -X PUT -d debug localhost:9980/log-level}.
   */
  private void logLevel(HttpServerRequest request) {
    java.util.Optional<String> logger =
        java.util.Optional.ofNullable(request.getParam("logger")).filter(n -> !n.isBlank());
    if (request.method() == io.vertx.core.http.HttpMethod.GET) {
      request.response().end(LogLevels.get(logger) + "\n");
    } else if (request.method() == io.vertx.core.http.HttpMethod.PUT) {
      Body.text(request)
          .onFailure(failure -> AdminUserApi.refuse(request.response(), failure))
          .onSuccess(
              body -> {
                try {
                  LogLevels.set(logger, body.toString());
                  request.response().end(LogLevels.get(logger) + "\n");
                } catch (IllegalArgumentException e) {
                  request.response().setStatusCode(400).end(e.getMessage() + "\n");
                }
              });
    } else {
      request.response().setStatusCode(405).putHeader("Allow", "GET, PUT").end();
    }
  }

  @Override
  public void close() {
    Thread loading = loadingUsers;
    if (loading != null) {
      loading.interrupt();
    }
    AdminAccess opened = access;
    if (opened != null) {
      opened.close();
    }
    io.tributary.kafka.AdminUserStore store = users;
    if (store != null) {
      try {
        store.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    AdminApi shown = api;
    if (shown != null) {
      try {
        shown.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Metrics.removeRegistry(registry);
    registry.close();
    try {
      vertx.close().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Closing anyway.
    }
  }
}
