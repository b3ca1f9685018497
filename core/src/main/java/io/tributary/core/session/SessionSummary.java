package io.tributary.core.session;

/**
 * What an operator sees of one bound session.
 *
 * @param clientIdent the client file's ident, 0 before it has one
 * @param uploadedClientVersion the highest client version the session has uploaded
 * @param downloadedServerVersion the server version its downloads have reached
 * @param pendingChangesets changesets uploaded and not yet acknowledged to the client
 */
public record SessionSummary(
    long session,
    String dataset,
    long clientIdent,
    ServerSession.Phase phase,
    long uploadedClientVersion,
    long downloadedServerVersion,
    int pendingChangesets) {}
