package io.tributary.gateway;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How fast each session of one connection may upload: a token bucket (Bucket4j) per session, of
 * changesets. A session over its rate is not refused: the connection is not read until its bucket
 * has refilled, so the writer waits in its own socket and the SDK keeps its changes pending. Used
 * on the connection's event loop only.
 */
final class UploadRate {

  private final ConnectionQuotas quotas;
  private final Map<Long, Bucket> byBinding = new HashMap<>();

  UploadRate(ConnectionQuotas quotas) {
    this.quotas = quotas;
  }

  /**
   * Takes {@code changesets} from the session's bucket.
   *
   * @return nanoseconds until the bucket holds a changeset again: 0 while within the rate
   */
  long take(long binding, int changesets) {
    Bucket bucket = byBinding.computeIfAbsent(binding, ignored -> newBucket());
    // More than a full bucket at once (one large UPLOAD) costs a full bucket: a wait, not forever.
    return bucket.consumeIgnoringRateLimits(Math.min(changesets, quotas.uploadBurst()));
  }

  /** The session ended. */
  void forget(long binding) {
    byBinding.remove(binding);
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(
            limit ->
                limit
                    .capacity(quotas.uploadBurst())
                    .refillGreedy(quotas.uploadsPerSecond(), Duration.ofSeconds(1)))
        .withSynchronizationStrategy(SynchronizationStrategy.NONE)
        .build();
  }
}
