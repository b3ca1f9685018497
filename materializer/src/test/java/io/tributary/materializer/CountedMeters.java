package io.tributary.materializer;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Meters count only in a registry (the server adds Prometheus's): a test class that reads them
 * registers this, {@code @RegisterExtension static final CountedMeters METERS}.
 */
final class CountedMeters implements BeforeAllCallback, AfterAllCallback {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Override
  public void beforeAll(ExtensionContext context) {
    Metrics.addRegistry(registry);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Metrics.removeRegistry(registry);
  }

  Search find(String name) {
    return registry.find(name);
  }
}
