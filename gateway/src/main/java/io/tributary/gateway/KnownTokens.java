package io.tributary.gateway;

import io.tributary.core.auth.TokenCheck;
import io.tributary.core.auth.TokenVerdict;
import io.tributary.core.protocol.ClientMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The tokens one connection's client gave, as its machine checks them: the handshake's, whose
 * verdict is known (the SDK gives it again in each BIND), and the last one checked on a worker
 * thread before its BIND or REFRESH reached the machine. Any other is checked where it is asked
 * for. Used on the connection's event loop only.
 */
final class KnownTokens implements TokenCheck {

  private final String handshakeToken;
  private final TokenVerdict handshakeVerdict;
  private final TokenCheck gateway;
  private String lastToken;
  private TokenVerdict lastVerdict;

  KnownTokens(Connection.Handshake handshake, TokenCheck gateway) {
    this.handshakeToken = handshake.token();
    this.handshakeVerdict = new TokenVerdict.Accepted(handshake.identity());
    this.gateway = gateway;
  }

  @Override
  public TokenVerdict check(String token) {
    if (token != null && token.equals(handshakeToken)) {
      return handshakeVerdict;
    }
    if (token != null && token.equals(lastToken)) {
      return lastVerdict;
    }
    return gateway.check(token);
  }

  /**
   * Checks a token on a worker thread: a signature costs from 12 µs (HS256) to 2 ms (ES256 on JDK
   * 17), which an event loop, serving every other connection on it, must not wait for.
   */
  static Future<TokenVerdict> checkOnWorker(Vertx vertx, TokenCheck tokens, String token) {
    return vertx.executeBlocking(() -> tokens.check(token), false);
  }

  /** The token a BIND or REFRESH brings whose verdict is not known yet; null if none. */
  String unknownTokenOf(ClientMessage message) {
    String token =
        message instanceof ClientMessage.Bind bind
            ? bind.token()
            : message instanceof ClientMessage.Refresh refresh ? refresh.token() : null;
    return token == null || token.equals(handshakeToken) || token.equals(lastToken) ? null : token;
  }

  /** The verdict on {@code token}, checked elsewhere; null if the check failed (checked again). */
  void learn(String token, TokenVerdict verdict) {
    if (verdict != null) {
      lastToken = token;
      lastVerdict = verdict;
    }
  }
}
