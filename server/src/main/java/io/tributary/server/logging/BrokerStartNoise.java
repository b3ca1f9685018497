package io.tributary.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.NotControllerException;
import org.slf4j.Marker;

/**
 * Drops one error the embedded broker logs, with its stack trace, on every restart: its controller
 * asks to be registered before its own quorum has elected it, is told that it is not the controller
 * yet, and asks again a moment later, successfully. Every other error of that logger still shows.
 */
public final class BrokerStartNoise extends TurboFilter {

  static final String LOGGER = "kafka.server.ControllerApis";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    return level == Level.ERROR
            && LOGGER.equals(logger.getName())
            && causedByNotController(t != null ? t : lastThrowable(params))
        ? FilterReply.DENY
        : FilterReply.NEUTRAL;
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
