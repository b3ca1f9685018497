package io.tributary.core.protocol;

/**
 * Everything of a STATE segment but its objects.
 *
 * @param uploadProgress the client version of this client file's last changeset in the state
 * @param segment 0, 1, 2, ...
 * @param last whether DOWNLOADs from {@code serverVersion} follow this segment
 */
public record StateHeader(
    long session, long serverVersion, long salt, long uploadProgress, int segment, boolean last) {}
