package io.tributary.gateway;

/** What every connection of a gateway shares. */
record GatewayServices(
    SessionRegistry registry,
    Uploads uploads,
    CatchUpClient catchUp,
    CurrentSchema schema,
    Authenticator authenticator,
    java.time.Duration idleTimeout,
    GatewayMetrics metrics) {}
