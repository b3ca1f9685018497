package io.tributary.materializer;

import io.tributary.kafka.Topics;

/**
 * Where the materializer reads history from and publishes downloads to.
 *
 * @param changeEvents whether it publishes change events for other systems too (one materializer of
 *     a deployment is enough: every one would publish the same events)
 */
public record MaterializerConfig(String bootstrap, Topics topics, boolean changeEvents) {}
