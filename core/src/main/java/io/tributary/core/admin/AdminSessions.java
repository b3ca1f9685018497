package io.tributary.core.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The admin console's signed-in sessions on one port: a random token for the cookie, a random CSRF
 * token for the page to send back, an idle timeout and a maximum age. Pure: the caller gives the
 * time. At most {@code capacity} sessions live; past that the least recently used one ends, so
 * logins cannot grow it without bound.
 *
 * <p>A session remembers the password hash its user signed in with: once the password changes
 * anywhere in the cluster, every other session of that user ends by itself.
 */
public final class AdminSessions {

  /** A signed-in session. {@code passwordHash} is the user's when it began. */
  public record Session(
      String token, String csrf, String user, String passwordHash, Instant created) {}

  private record Entry(Session session, Instant lastSeen) {}

  private static final int TOKEN_BYTES = 32;
  private static final Base64.Encoder TOKEN = Base64.getUrlEncoder().withoutPadding();

  private final Random random;
  private final Duration idle;
  private final Duration maxAge;
  private final Map<String, Entry> byToken;

  /**
   * @param random where tokens come from: a {@link java.security.SecureRandom} in production
   */
  public AdminSessions(Random random, Duration idle, Duration maxAge, int capacity) {
    this.random = random;
    this.idle = idle;
    this.maxAge = maxAge;
    this.byToken =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > capacity;
          }
        };
  }

  /** A new session of {@code user}, who just gave the password that {@code passwordHash} holds. */
  public synchronized Session open(String user, String passwordHash, Instant now) {
    Session session = new Session(token(), token(), user, passwordHash, now);
    byToken.put(session.token(), new Entry(session, now));
    return session;
  }

  /**
   * The live session of {@code token}, if there is one whose user still has the same password;
   * using it resets its idle time.
   */
  public synchronized Optional<Session> find(String token, AdminUsers users, Instant now) {
    Entry entry = token == null ? null : byToken.get(token);
    if (entry == null) {
      return Optional.empty();
    }
    Session session = entry.session();
    boolean live =
        now.isBefore(entry.lastSeen().plus(idle))
            && now.isBefore(session.created().plus(maxAge))
            && users
                .user(session.user())
                .filter(user -> user.passwordHash().equals(session.passwordHash()))
                .isPresent();
    if (!live) {
      byToken.remove(token);
      return Optional.empty();
    }
    byToken.put(token, new Entry(session, now));
    return Optional.of(session);
  }

  /**
   * The user of {@code session} changed their own password to {@code passwordHash}: this session
   * goes on with it, the user's other sessions end when next used.
   */
  public synchronized Session rebind(Session session, String passwordHash, Instant now) {
    Session rebound =
        new Session(
            session.token(), session.csrf(), session.user(), passwordHash, session.created());
    if (byToken.containsKey(session.token())) {
      byToken.put(session.token(), new Entry(rebound, now));
    }
    return rebound;
  }

  /** Ends the session of {@code token}, if any. */
  public synchronized void close(String token) {
    byToken.remove(token);
  }

  /** How many sessions it holds now, expired ones not yet looked at included. */
  public synchronized int size() {
    return byToken.size();
  }

  private String token() {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return TOKEN.encodeToString(bytes);
  }
}
