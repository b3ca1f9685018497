package io.tributary.core.session;

import java.util.Optional;

/** Whether a token given in a BIND or REFRESH is accepted. */
@FunctionalInterface
public interface TokenCheck {

  /** Empty if accepted, else the reason it is not, for the client. */
  Optional<String> refusal(String token);
}
