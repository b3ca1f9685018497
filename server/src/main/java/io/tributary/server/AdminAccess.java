package io.tributary.server;

import io.tributary.core.admin.AdminRole;
import io.tributary.core.admin.AdminSessions;
import io.tributary.core.admin.AdminUser;
import io.tributary.core.admin.AdminUsers;
import io.tributary.core.admin.LoginThrottle;
import io.tributary.kafka.AdminUserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Who is asking the admin port, and whether they may: a session cookie from the console's login
 * (with a CSRF token on every change), or HTTP Basic for scripts and Prometheus, both against the
 * users of {@link AdminUserStore}. Password checks are Argon2id, about 50 ms of CPU each: they run
 * on one worker thread, at most {@value #VERIFYING} waiting, and a throttle locks a name after
 * repeated failures and limits each address's tries.
 */
final class AdminAccess implements AutoCloseable {

  static final String COOKIE = "tributary_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final int VERIFYING = 16;
  private static final int MAX_ADDRESS = 45; // The longest an IPv6 address is written.
  private static final Base64.Decoder BASE64 = Base64.getDecoder();

  /** Someone who gave a user's password, by session or by Basic. */
  record Caller(AdminUser user, Optional<AdminSessions.Session> session) {}

  /** Why a request is not let through: its status, message and, for 429, when to come back. */
  static final class Refused extends RuntimeException {
    final int status;
    final Duration retryAfter;

    Refused(int status, String message) {
      this(status, message, null);
    }

    Refused(int status, String message, Duration retryAfter) {
      super(message, null, false, false);
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  private final AdminUserStore store;
  private final Set<String> proxies;
  private final WorkerExecutor passwords;
  private final Semaphore verifying = new Semaphore(VERIFYING);
  private final LoginThrottle throttle = new LoginThrottle(LoginThrottle.Policy.DEFAULTS);
  private final AdminSessions sessions =
      new AdminSessions(new SecureRandom(), Duration.ofMinutes(30), Duration.ofHours(12), 1_000);

  /** Basic passwords already verified, by user: a scrape should not cost an Argon2 check each. */
  private final Map<String, Verified> verifiedBasic = new ConcurrentHashMap<>();

  private record Verified(String passwordHash, byte[] passwordDigest) {}

  private final byte[] basicKey = randomBytes(32);

  /** A hash of no one's password, checked for unknown names so that they take as long. */
  private static final String DECOY = PasswordHash.hash("no such user");

  /**
   * @param proxies the IP addresses of reverse proxies whose {@code X-Forwarded-For} is believed
   */
  AdminAccess(Vertx vertx, AdminUserStore store, Set<String> proxies) {
    this.store = store;
    this.proxies = Set.copyOf(proxies);
    // One thread: password checks, wanted or not, never take more than one core from syncing.
    this.passwords = vertx.createSharedWorkerExecutor("admin-passwords", 1);
  }

  AdminUsers users() {
    return store.users();
  }

  AdminUserStore store() {
    return store;
  }

  AdminSessions sessions() {
    return sessions;
  }

  /**
   * The caller of {@code request}: by its Authorization header if it has one, else by its session
   * cookie. A change made by cookie must carry the session's CSRF token.
   */
  Future<Caller> caller(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null) {
      return basic(request, authorization);
    }
    Cookie cookie = request.getCookie(COOKIE);
    Optional<AdminSessions.Session> session =
        sessions.find(cookie == null ? null : cookie.getValue(), users(), Instant.now());
    if (session.isEmpty()) {
      return Future.failedFuture(new Refused(401, "sign in first"));
    }
    if (changes(request) && !sameSecret(request.getHeader(CSRF_HEADER), session.get().csrf())) {
      return Future.failedFuture(
          new Refused(403, "a change needs the session's " + CSRF_HEADER + " header"));
    }
    return users()
        .user(session.get().user())
        .map(user -> Future.succeededFuture(new Caller(user, session)))
        .orElseGet(() -> Future.failedFuture(new Refused(401, "sign in first")));
  }

  /** Whether the caller may do what {@code request} asks, by role and by password state. */
  static void permit(Caller caller, HttpServerRequest request) {
    if (caller.user().mustChangePassword()) {
      throw new Refused(403, "change your one-time password first");
    }
    if (caller.user().role() != AdminRole.ADMIN && !viewerMay(request)) {
      throw new Refused(403, caller.user().name() + " is a viewer and may not do this");
    }
  }

  /**
   * What a viewer may read, by exact path: a list of what is allowed rather than of what is not, so
   * that a path spelled another way ({@code /api//datasets}) is refused, not let through.
   */
  private static final java.util.Set<String> VIEWER_READS =
      java.util.Set.of(
          "/api/status",
          "/api/statistics",
          "/api/clients",
          "/api/schema",
          "/api/log-levels",
          "/log-level",
          "/metrics");

  private static boolean viewerMay(HttpServerRequest request) {
    return !changes(request) && VIEWER_READS.contains(request.path());
  }

  static boolean changes(HttpServerRequest request) {
    return request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD;
  }

  /**
   * Checks {@code password} for {@code name} off the event loop, throttled: the user if it is
   * right. A wrong password counts against the name; an unknown name costs the same time.
   */
  Future<AdminUser> verify(String name, String password, String address) {
    if (!AdminUser.isName(name)) {
      // Not a name a user can have: refused before it is remembered by the throttle, so that
      // long made-up names cannot fill its memory.
      return Future.failedFuture(new Refused(401, "wrong user name or password"));
    }
    Optional<LoginThrottle.Refusal> refusal = throttle.tryLogin(name, address, Instant.now());
    if (refusal.isPresent()) {
      return Future.failedFuture(
          new Refused(429, refusal.get().reason(), refusal.get().retryAfter()));
    }
    if (!verifying.tryAcquire()) {
      return Future.failedFuture(new Refused(503, "too many sign-ins at once; try again"));
    }
    Optional<AdminUser> user = users().user(name);
    return passwords
        .executeBlocking(
            () -> PasswordHash.verify(user.map(AdminUser::passwordHash).orElse(DECOY), password),
            false)
        .andThen(done -> verifying.release())
        .compose(
            right -> {
              if (!right || user.isEmpty()) {
                throttle.failed(name, Instant.now());
                return Future.failedFuture(new Refused(401, "wrong user name or password"));
              }
              throttle.succeeded(name);
              return Future.succeededFuture(user.get());
            });
  }

  /** Hashes a new password off the event loop. */
  Future<String> hash(String password) {
    if (!verifying.tryAcquire()) {
      return Future.failedFuture(new Refused(503, "too many password changes at once; try again"));
    }
    return passwords
        .executeBlocking(() -> PasswordHash.hash(password), false)
        .andThen(done -> verifying.release());
  }

  private Future<Caller> basic(HttpServerRequest request, String authorization) {
    String[] credentials = basicCredentials(authorization);
    if (credentials == null) {
      return Future.failedFuture(new Refused(401, "Authorization must be Basic name:password"));
    }
    String name = credentials[0];
    String password = credentials[1];
    byte[] digest = digest(password);
    Optional<AdminUser> user = users().user(name);
    Verified verified = verifiedBasic.get(name);
    if (user.isPresent()
        && verified != null
        && verified.passwordHash().equals(user.get().passwordHash())
        && MessageDigest.isEqual(verified.passwordDigest(), digest)) {
      return Future.succeededFuture(new Caller(user.get(), Optional.empty()));
    }
    return verify(name, password, clientAddress(request))
        .map(
            right -> {
              verifiedBasic.put(name, new Verified(right.passwordHash(), digest));
              return new Caller(right, Optional.empty());
            });
  }

  /** {@code [name, password]} from a Basic header, or null if it is not one. */
  private static String[] basicCredentials(String authorization) {
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded =
          new String(BASE64.decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 1
          ? null
          : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Whose sign-ins a request counts as: its peer's address, or, from one of the configured reverse
   * proxies, the last address in {@code X-Forwarded-For} that is not a proxy's (the one the nearest
   * proxy appended; what a client wrote there itself comes before it).
   */
  String clientAddress(HttpServerRequest request) {
    String peer =
        request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    if (!proxies.contains(peer)) {
      return peer;
    }
    List<String> hops =
        request.headers().getAll("X-Forwarded-For").stream()
            .flatMap(header -> Arrays.stream(header.split(",")))
            .map(String::trim)
            .toList();
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (!proxies.contains(hop)) {
        return hop.isEmpty() || hop.length() > MAX_ADDRESS ? peer : hop;
      }
    }
    return peer;
  }

  private static boolean sameSecret(String given, String expected) {
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A keyed digest of a Basic password, to recognise it again: keyed with a secret of this process,
   * so that memory read by someone else does not give a fast hash to guess passwords against.
   */
  private byte[] digest(String password) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(basicKey, "HmacSHA256"));
      return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e); // Every JDK has HmacSHA256.
    }
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /** Stops its password checks; the store is its owner's to close. */
  @Override
  public void close() {
    passwords.close();
  }
}
