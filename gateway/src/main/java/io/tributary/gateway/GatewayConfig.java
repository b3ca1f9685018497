package io.tributary.gateway;

import io.tributary.core.model.Model;
import io.tributary.schemas.kafka.Topics;

/**
 * @param host interface the sync WebSocket listens on
 * @param port its port; 0 picks a free one
 * @param materializerUrl base URL of a materializer's read API, for catch-up
 * @param model the data model every uploaded changeset must fit
 */
public record GatewayConfig(
    String bootstrap, Topics topics, String host, int port, String materializerUrl, Model model) {}
