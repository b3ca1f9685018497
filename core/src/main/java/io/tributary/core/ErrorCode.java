package io.tributary.core;

/**
 * Every error the server reports to a client, with its wire code and whether retrying the same
 * thing later can succeed. Codes below 200 concern the whole connection, the others one session.
 */
public enum ErrorCode {
  MALFORMED_MESSAGE(100, false),
  PROTOCOL_VIOLATION(101, false),
  MESSAGE_TOO_LARGE(102, false),
  SERVER_UNAVAILABLE(103, true),
  IDLE_TIMEOUT(104, true),
  /** The client did not read what the server sent for too long. */
  TOO_SLOW(105, true),
  /** An operator closed the connection from the admin console; the client may come back. */
  CLOSED_BY_OPERATOR(106, true),
  BAD_DATASET_NAME(200, false),
  SESSION_ALREADY_BOUND(201, false),
  BAD_CLIENT_IDENT(202, false),
  SCHEMA_VIOLATION(203, false),
  BAD_PROGRESS(204, false),
  CLIENT_RESET_REQUIRED(205, false),
  /** The token is not valid: a fresh one from the app's token provider may be. */
  AUTHENTICATION_FAILED(206, false),
  /** A bound of what one client may hold: sessions per connection, requests awaiting answers. */
  LIMIT_EXCEEDED(207, false),
  /** The session's token expired before a REFRESH replaced it. */
  TOKEN_EXPIRED(208, true),
  /** The server cannot check the token now (its identity provider's keys are out of reach). */
  AUTHENTICATION_UNAVAILABLE(209, true),
  /** The token does not allow this dataset. */
  PERMISSION_DENIED(210, false),
  /** The token allows this dataset read-only: UPLOAD and TRANSACT are refused. */
  WRITE_NOT_ALLOWED(211, false);

  private final int code;
  private final boolean tryAgain;

  ErrorCode(int code, boolean tryAgain) {
    this.code = code;
    this.tryAgain = tryAgain;
  }

  public int code() {
    return code;
  }

  public boolean tryAgain() {
    return tryAgain;
  }

  public static ErrorCode ofCode(int code) {
    for (ErrorCode value : values()) {
      if (value.code == code) {
        return value;
      }
    }
    throw new IllegalArgumentException("unknown error code " + code);
  }
}
