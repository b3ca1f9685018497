package io.tributary.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a gateway counts, in Micrometer's global registry (the server adds a Prometheus registry to
 * it). Tags are bounded: message types and error codes are fixed sets.
 */
final class GatewayMetrics {

  private final MeterRegistry registry = Metrics.globalRegistry;
  private final String gateway;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger uploadsInFlight = new AtomicInteger();
  private final Counter connects;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final Counter uploadHolds;
  private final Counter changesetsUploaded;
  private final Counter changesetsDownloaded;
  private final Timer uploadLatency;
  private final Timer downloadLatency;
  private final Map<String, Counter> messages = new ConcurrentHashMap<>();
  private final Map<Integer, Counter> errors = new ConcurrentHashMap<>();
  private final Map<String, Counter> handshakeRefusals = new ConcurrentHashMap<>();
  private final Counter uploadThrottles;

  GatewayMetrics(String gateway, SessionRegistry sessions) {
    this.gateway = gateway;
    Gauge.builder("tributary.gateway.connections", connections, AtomicInteger::get)
        .description("Open client connections")
        .tag("gateway", gateway)
        .register(registry);
    Gauge.builder("tributary.gateway.sessions", sessions, SessionRegistry::sessionCount)
        .description("Bound sessions (datasets) over all connections")
        .tag("gateway", gateway)
        .register(registry);
    Gauge.builder("tributary.gateway.uploads.in.flight", uploadsInFlight, AtomicInteger::get)
        .description("Changesets read from clients and not yet answered, over all connections")
        .tag("gateway", gateway)
        .register(registry);
    connects = counter("tributary.gateway.connects", "Connections accepted");
    bytesIn = counter("tributary.gateway.bytes.in", "Bytes of client messages received");
    bytesOut = counter("tributary.gateway.bytes.out", "Bytes of server messages sent");
    changesetsUploaded =
        counter("tributary.gateway.changesets.uploaded", "Changesets received from clients");
    changesetsDownloaded =
        counter("tributary.gateway.changesets.downloaded", "Changesets sent to clients");
    uploadHolds =
        counter(
            "tributary.gateway.upload.holds",
            "Times a connection was not read because of its changesets in flight");
    uploadThrottles =
        counter(
            "tributary.gateway.upload.throttles",
            "Times a connection was not read because a session went over its upload rate");
    uploadLatency =
        Timer.builder("tributary.gateway.upload.latency")
            .description("From reading a changeset from its client to answering it")
            .tag("gateway", gateway)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(1))
            .register(registry);
    downloadLatency =
        Timer.builder("tributary.gateway.download.latency")
            .description(
                "From the materializer publishing a download to this gateway handing it to its"
                    + " sessions")
            .tag("gateway", gateway)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(1))
            .register(registry);
  }

  /** A download reached this gateway {@code nanos} after the materializer published it. */
  void downloadArrived(long nanos) {
    downloadLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Changesets read from clients (positive) or answered or given up (negative). */
  void uploadsInFlight(int delta) {
    uploadsInFlight.addAndGet(delta);
  }

  /** A changeset read {@code nanos} ago was acknowledged (or refused) to its client. */
  void uploadAnswered(long nanos) {
    uploadLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A connection reached its limit of changesets in flight, or its event loop's budget: it is not
   * read for a while.
   */
  void uploadsHeld() {
    uploadHolds.increment();
  }

  /** A session went over its upload rate: its connection is not read until its bucket refills. */
  void uploadThrottled() {
    uploadThrottles.increment();
  }

  /**
   * A connection was refused before it became a WebSocket: {@code token}, {@code gateway_full},
   * {@code address_full}, {@code handshakes_full} or {@code handshake_timeout}.
   */
  void handshakeRefused(String reason) {
    handshakeRefusals
        .computeIfAbsent(
            reason,
            key ->
                Counter.builder("tributary.gateway.handshakes.refused")
                    .description("Connections refused before they became WebSockets, by reason")
                    .tag("gateway", gateway)
                    .tag("reason", key)
                    .register(registry))
        .increment();
  }

  void connected() {
    connections.incrementAndGet();
    connects.increment();
  }

  int connections() {
    return connections.get();
  }

  void disconnected() {
    connections.decrementAndGet();
  }

  void received(String messageType, int bytes) {
    bytesIn.increment(bytes);
    messages
        .computeIfAbsent(
            messageType,
            type ->
                Counter.builder("tributary.gateway.messages")
                    .description("Client messages received, by type")
                    .tag("gateway", gateway)
                    .tag("type", type)
                    .register(registry))
        .increment();
  }

  /** Changesets an UPLOAD brought. */
  void uploaded(int changesets) {
    changesetsUploaded.increment(changesets);
  }

  /** Changesets a DOWNLOAD carried to its client. */
  void downloaded(int changesets) {
    changesetsDownloaded.increment(changesets);
  }

  void sent(int bytes) {
    bytesOut.increment(bytes);
  }

  void error(int code) {
    errors
        .computeIfAbsent(
            code,
            key ->
                Counter.builder("tributary.gateway.errors")
                    .description("Errors sent to clients, by code")
                    .tag("gateway", gateway)
                    .tag("code", Integer.toString(key))
                    .register(registry))
        .increment();
  }

  /** A stopped gateway's meters go, so that a scrape does not show them frozen. */
  void close() {
    registry.getMeters().stream()
        .filter(meter -> gateway.equals(meter.getId().getTag("gateway")))
        .forEach(registry::remove);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name)
        .description(description)
        .tag("gateway", gateway)
        .register(registry);
  }
}
