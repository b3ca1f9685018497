package io.tributary.core.sequencing;

/** The session on a gateway that a reply is addressed to. */
public record ReplyTo(String gatewayId, long connectionId, long sessionId) {}
