package io.tributary.gateway;

/** What every connection of a gateway shares. */
record GatewayServices(
    SessionRegistry registry,
    Uploads uploads,
    ReadApiClient readApi,
    CurrentSchema schema,
    Authenticator authenticator,
    ConnectionPolicy policy,
    GatewayMetrics metrics) {}
