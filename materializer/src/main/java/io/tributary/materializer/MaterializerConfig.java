package io.tributary.materializer;

import io.tributary.schemas.kafka.Topics;
import java.nio.file.Path;

/**
 * @param readApiHost interface of the read API that gateways fetch catch-up ranges from
 * @param readApiPort its port; 0 picks a free one
 */
public record MaterializerConfig(
    String bootstrap, Topics topics, Path directory, String readApiHost, int readApiPort) {}
