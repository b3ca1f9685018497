package io.tributary.gateway;

import java.net.URI;
import java.util.Optional;

/** Where the read API that serves a dataset answers now. */
@FunctionalInterface
interface ReadApiRoute {

  /** The base URL of the read API serving {@code dataset}; empty while none is known. */
  Optional<URI> of(String dataset);

  /** One read API for every dataset: a materializer that materializes every partition. */
  static ReadApiRoute fixed(String url) {
    Optional<URI> base = Optional.of(URI.create(url));
    return dataset -> base;
  }
}
