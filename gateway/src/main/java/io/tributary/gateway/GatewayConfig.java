package io.tributary.gateway;

import io.tributary.core.model.Model;
import io.tributary.core.model.Renames;
import io.tributary.kafka.Topics;
import java.time.Duration;

/**
 * @param host interface the sync WebSocket listens on
 * @param port its port; 0 picks a free one
 * @param materializerUrl base URL of a materializer's read API, for catch-up
 * @param model the data model every uploaded changeset must fit
 * @param authenticator who may connect
 * @param idleTimeout how long a connection may stay silent (no message, not even a PING)
 * @param tls the certificate and key for {@code wss://}, or null for plain {@code ws://}
 * @param renames the model's names against those history stores them under
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
    TlsFiles tls,
    Renames renames) {

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
        null,
        Renames.NONE);
  }

  public GatewayConfig withIdleTimeout(Duration timeout) {
    return new GatewayConfig(
        bootstrap,
        topics,
        host,
        port,
        materializerUrl,
        model,
        authenticator,
        timeout,
        tls,
        renames);
  }

  /** The current schema version: its model, and the renames since the first. */
  public GatewayConfig withSchema(Model current, Renames names) {
    return new GatewayConfig(
        bootstrap,
        topics,
        host,
        port,
        materializerUrl,
        current,
        authenticator,
        idleTimeout,
        tls,
        names);
  }

  public GatewayConfig withTls(TlsFiles files) {
    return new GatewayConfig(
        bootstrap,
        topics,
        host,
        port,
        materializerUrl,
        model,
        authenticator,
        idleTimeout,
        files,
        renames);
  }
}
