package io.tributary.gateway;

import io.tributary.core.model.Model;
import io.tributary.schemas.kafka.Topics;
import java.time.Duration;

/**
 * @param host interface the sync WebSocket listens on
 * @param port its port; 0 picks a free one
 * @param materializerUrl base URL of a materializer's read API, for catch-up
 * @param model the data model every uploaded changeset must fit
 * @param authenticator who may connect
 * @param idleTimeout how long a connection may stay silent (no message, not even a PING)
 * @param tls the certificate and key for {@code wss://}, or null for plain {@code ws://}
 */
public record GatewayConfig(
    String bootstrap,
    Topics topics,
    String host,
    int port,
    String materializerUrl,
    Model model,
    Authenticator authenticator,
    Duration idleTimeout,
    TlsFiles tls) {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  /** Without authentication, with the default idle timeout. */
  public GatewayConfig(
      String bootstrap, Topics topics, String host, int port, String materializerUrl, Model model) {
    this(
        bootstrap,
        topics,
        host,
        port,
        materializerUrl,
        model,
        Authenticator.unsecured(),
        DEFAULT_IDLE_TIMEOUT,
        null);
  }

  public GatewayConfig withIdleTimeout(Duration timeout) {
    return new GatewayConfig(
        bootstrap, topics, host, port, materializerUrl, model, authenticator, timeout, tls);
  }

  public GatewayConfig withTls(TlsFiles files) {
    return new GatewayConfig(
        bootstrap, topics, host, port, materializerUrl, model, authenticator, idleTimeout, files);
  }

  public GatewayConfig withAuthenticator(Authenticator check) {
    return new GatewayConfig(
        bootstrap, topics, host, port, materializerUrl, model, check, idleTimeout, tls);
  }
}
