package io.tributary.materializer;

import io.tributary.kafka.Topics;

/** Where the materializer reads history from and publishes downloads to. */
public record MaterializerConfig(String bootstrap, Topics topics) {}
