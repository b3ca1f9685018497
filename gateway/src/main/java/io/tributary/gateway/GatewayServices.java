package io.tributary.gateway;

import io.tributary.core.auth.Admission;

/** What every connection of a gateway shares. */
record GatewayServices(
    SessionRegistry registry,
    Uploads uploads,
    ReadApiClient readApi,
    CurrentSchema schema,
    Admission admission,
    ConnectionPolicy policy,
    ConnectionCounts counts,
    GatewayMetrics metrics) {}
