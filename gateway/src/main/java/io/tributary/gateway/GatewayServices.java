package io.tributary.gateway;

import io.tributary.core.model.ChangesetValidator;

/** What every connection of a gateway shares. */
record GatewayServices(
    SessionRegistry registry,
    Uploads uploads,
    CatchUpClient catchUp,
    ChangesetValidator validator,
    Authenticator authenticator,
    java.time.Duration idleTimeout,
    GatewayMetrics metrics) {}
