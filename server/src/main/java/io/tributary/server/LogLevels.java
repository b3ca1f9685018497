package io.tributary.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/** The log level of the server or of one of its loggers, read and changed while it runs. */
final class LogLevels {

  private LogLevels() {}

  /** The level of {@code logger} (the root when empty), inherited if it has none of its own. */
  static String get(Optional<String> logger) {
    return logger(logger).getEffectiveLevel().toString().toLowerCase(Locale.ROOT);
  }

  /**
   * The loggers with a level of their own, by name, the root ({@code ""}) first: what an operator
   * has set, or the configuration did.
   */
  static java.util.SortedMap<String, String> own() {
    java.util.SortedMap<String, String> levels = new java.util.TreeMap<>();
    ch.qos.logback.classic.LoggerContext context =
        (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
    for (Logger logger : context.getLoggerList()) {
      if (logger.getLevel() != null) {
        String name =
            logger.getName().equals(org.slf4j.Logger.ROOT_LOGGER_NAME) ? "" : logger.getName();
        levels.put(name, logger.getLevel().toString().toLowerCase(Locale.ROOT));
      }
    }
    return levels;
  }

  /**
   * Sets the level of {@code logger} (the root when empty); {@code inherit} gives a logger back its
   * parent's.
   *
   * @throws IllegalArgumentException naming the accepted levels if {@code level} is not one
   */
  static void set(Optional<String> logger, String level) {
    if (logger.isPresent() && level.trim().equalsIgnoreCase("inherit")) {
      logger(logger).setLevel(null);
      LoggerFactory.getLogger("SyncServer")
          .info("Log level of {} inherited again: {}", logger.get(), get(logger));
      return;
    }
    Level parsed = parse(level);
    logger(logger).setLevel(parsed);
    LoggerFactory.getLogger("SyncServer")
        .info("Log level of {} set to {}", logger.orElse("the server"), get(logger));
  }

  static Level parse(String level) {
    Level parsed = Level.toLevel(level.trim(), null);
    if (parsed == null || parsed == Level.ALL || parsed == Level.OFF) {
      throw new IllegalArgumentException(
          "logLevel must be trace, debug, info, warn or error, not " + level.trim());
    }
    return parsed;
  }

  private static Logger logger(Optional<String> name) {
    return (Logger) LoggerFactory.getLogger(name.orElse(org.slf4j.Logger.ROOT_LOGGER_NAME));
  }
}
