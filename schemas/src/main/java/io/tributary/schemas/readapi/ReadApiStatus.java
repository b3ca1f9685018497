package io.tributary.schemas.readapi;

import io.tributary.core.session.ReadFailure;
import java.util.Optional;

/**
 * The HTTP statuses of the materializer's read API and what each means to a gateway: the one
 * contract between the read API that answers and the gateway that asks.
 */
public enum ReadApiStatus {
  OK(200, null),
  /** A parameter is missing or not a number: a bug of the caller. */
  BAD_REQUEST(400, ReadFailure.UNAVAILABLE),
  /** The dataset does not know the client file. */
  UNKNOWN_CLIENT_FILE(404, ReadFailure.UNKNOWN_CLIENT_FILE),
  /** The dataset knows the client file with another salt. */
  WRONG_SALT(409, ReadFailure.UNKNOWN_CLIENT_FILE),
  /** The state snapshot the request names was released. */
  SNAPSHOT_EXPIRED(410, ReadFailure.STATE_EXPIRED),
  /** The client's history at its version is not this history (shorter, or another salt). */
  HISTORY_DIVERGED(412, ReadFailure.HISTORY_DIVERGED),
  /**
   * Another materializer serves the dataset's partition now: the gateway's routes are behind. The
   * session tries again, by then routed to the new owner.
   */
  NOT_SERVED_HERE(421, ReadFailure.UNAVAILABLE);

  private final int code;
  private final ReadFailure failure;

  ReadApiStatus(int code, ReadFailure failure) {
    this.code = code;
    this.failure = failure;
  }

  public int code() {
    return code;
  }

  /** What an answer with HTTP status {@code code} means to the asking session; empty for 200. */
  public static Optional<ReadFailure> failureOf(int code) {
    for (ReadApiStatus status : values()) {
      if (status.code == code) {
        return Optional.ofNullable(status.failure);
      }
    }
    return Optional.of(ReadFailure.UNAVAILABLE);
  }
}
