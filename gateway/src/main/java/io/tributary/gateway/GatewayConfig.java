package io.tributary.gateway;

import io.tributary.core.auth.Admission;
import io.tributary.core.model.Model;
import io.tributary.core.model.Renames;
import io.tributary.kafka.Topics;
import java.time.Duration;

/**
 * @param host interface the sync WebSocket listens on
 * @param port its port; 0 picks a free one
 * @param materializerUrl base URL of the read API of a materializer that serves every dataset; null
 *     to find each dataset's materializer from the routes its group writes
 * @param model the data model every uploaded changeset must fit
 * @param admission who may connect, and bind which datasets how
 * @param connections how long a client connection may take and hold what
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
    Admission admission,
    ConnectionPolicy connections,
    TlsFiles tls,
    Renames renames) {

  public static final Duration DEFAULT_IDLE_TIMEOUT = ConnectionPolicy.DEFAULTS.idleTimeout();

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
        Admission.UNSECURED,
        ConnectionPolicy.DEFAULTS,
        null,
        Renames.NONE);
  }

  public GatewayConfig withIdleTimeout(Duration timeout) {
    return withConnections(connections.withIdleTimeout(timeout));
  }

  public GatewayConfig withConnections(ConnectionPolicy policy) {
    return new GatewayConfig(
        bootstrap, topics, host, port, materializerUrl, model, admission, policy, tls, renames);
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
        admission,
        connections,
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
        admission,
        connections,
        files,
        renames);
  }
}
