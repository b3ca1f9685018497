package io.tributary.server;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The global meter registry counts nothing until a registry is added to it, as the server's admin
 * port does: this extension adds one for each test, so that a test can read the meters.
 */
final class CountingMeters implements BeforeEachCallback, AfterEachCallback {

  private final SimpleMeterRegistry counting = new SimpleMeterRegistry();

  @Override
  public void beforeEach(ExtensionContext context) {
    Metrics.addRegistry(counting);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Metrics.removeRegistry(counting);
  }
}
