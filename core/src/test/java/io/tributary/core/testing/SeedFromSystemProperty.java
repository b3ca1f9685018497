package io.tributary.core.testing;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets a jqwik property take its seed from {@code -Djqwik.seed=S}, as the other randomized tests
 * take theirs from a system property, and prints the seed it ran with:
 * {@code @AddLifecycleHook(SeedFromSystemProperty.class)} on the test class.
 */
public final class SeedFromSystemProperty implements AroundPropertyHook {

  @Override
  public PropertyExecutionResult aroundProperty(
      PropertyLifecycleContext context, PropertyExecutor property) {
    String seed = System.getProperty("jqwik.seed");
    if (seed != null && !seed.isBlank()) {
      context.attributes().setSeed(seed.trim());
    }
    PropertyExecutionResult result = property.execute();
    System.out.println(
        context.label()
            + " seed "
            + result.seed().orElse("?")
            + " (-Djqwik.seed="
            + result.seed().orElse("?")
            + ")");
    return result;
  }
}
