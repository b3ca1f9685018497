package io.tributary.gateway;

import io.tributary.core.model.ChangesetValidator;
import io.tributary.core.model.Renames;

/** What every connection of a gateway shares. */
record GatewayServices(
    SessionRegistry registry,
    Uploads uploads,
    CatchUpClient catchUp,
    ChangesetValidator validator,
    Renames renames,
    Authenticator authenticator,
    java.time.Duration idleTimeout,
    GatewayMetrics metrics) {}
