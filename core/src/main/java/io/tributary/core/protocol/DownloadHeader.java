package io.tributary.core.protocol;

/**
 * Everything of a DOWNLOAD but its changesets.
 *
 * @param serverVersion the server version the client has after integrating the message
 * @param salt the salt of {@code serverVersion}, which the client presents in its next IDENT
 * @param uploadProgress the client version of this client's last changeset integrated as of {@code
 *     serverVersion}
 * @param latestServerVersion the latest version the server knows of
 * @param downloadableBytes bytes of history between {@code serverVersion} and the latest
 */
public record DownloadHeader(
    long session,
    long serverVersion,
    long salt,
    long uploadProgress,
    long latestServerVersion,
    long downloadableBytes) {}
