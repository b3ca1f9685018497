package io.tributary.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.NotControllerException;
import org.slf4j.Marker;

/**
 * Drops two errors the embedded broker logs while it restarts, both retried by Kafka itself a
 * moment later, successfully; every other error of those loggers still shows:
 *
 * <ul>
 *   <li>its controller asks to be registered before its own quorum has elected it, and is told,
 *       with a stack trace, that it is not the controller yet;
 *   <li>after a kill -9, its group coordinator starts loading the offsets partition, whose leader
 *       epoch then moves on as the restarted broker is fenced and unfenced; the load at the old
 *       epoch stops ("not leader or follower") and the one at the new epoch follows.
 * </ul>
 */
public final class BrokerStartNoise extends TurboFilter {

  static final String LOGGER = "kafka.server.ControllerApis";
  static final String COORDINATOR_LOGGERS = "org.apache.kafka.coordinator.";
  static final String FAILED_LOAD = "Failed to load metadata from ";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.ERROR) {
      return FilterReply.NEUTRAL;
    }
    Throwable thrown = t != null ? t : lastThrowable(params);
    boolean notYetController = LOGGER.equals(logger.getName()) && causedByNotController(thrown);
    boolean staleLoad =
        logger.getName().startsWith(COORDINATOR_LOGGERS)
            && format != null
            && format.startsWith(FAILED_LOAD)
            && notLeaderAnyMore(thrown, params);
    return notYetController || staleLoad ? FilterReply.DENY : FilterReply.NEUTRAL;
  }

  /** Whether a load stopped because the partition's leadership moved on (as text or thrown). */
  private static boolean notLeaderAnyMore(Throwable thrown, Object[] params) {
    if (thrown instanceof org.apache.kafka.common.errors.NotLeaderOrFollowerException) {
      return true;
    }
    if (params != null) {
      for (Object param : params) {
        if (param instanceof String text
            && text.startsWith(
                org.apache.kafka.common.errors.NotLeaderOrFollowerException.class.getName())) {
          return true;
        }
      }
    }
    return false;
  }

  /** SLF4J also takes a message's throwable as its last argument. */
  private static Throwable lastThrowable(Object[] params) {
    return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable t
        ? t
        : null;
  }

  private static boolean causedByNotController(Throwable t) {
    for (Throwable cause = t; cause != null; cause = cause.getCause()) {
      if (cause instanceof NotControllerException) {
        return true;
      }
      if (cause.getCause() == cause) {
        return false;
      }
    }
    return false;
  }
}
