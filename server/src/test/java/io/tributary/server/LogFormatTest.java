package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.tributary.server.logging.ComponentTag;
import io.tributary.server.logging.TenthMillis;
import io.tributary.server.logging.ThreadNumber;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Log lines look like ObjectBox Sync Server's: {@code 001-13:09:15.6995 [INFO ] [SySvAp] ...}. */
class LogFormatTest {

  @Test
  void aLineHasThreadTimeLevelAndComponentAsObjectBoxPrintsThem() {
    LoggerContext context = new LoggerContext();
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    Map<String, String> rules = new HashMap<>();
    rules.put("threadNumber", ThreadNumber.class.getName());
    rules.put("tenthMillis", TenthMillis.class.getName());
    rules.put("tag", ComponentTag.class.getName());
    context.putObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY, rules);
    layout.setPattern("%threadNumber-%tenthMillis [%-5level] [%tag] %msg%n");
    layout.start();
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("SyncServer"),
            Level.INFO,
            "Default configuration file sync-server-config.json not found",
            null,
            null);
    event.setInstant(Instant.parse("2026-11-24T13:09:15.699512Z"));

    String line = layout.doLayout(event);

    assertThat(line)
        .matches(
            "\\d{3}-13:09:15\\.6995 \\[INFO \\] \\[SySvAp\\] Default configuration file"
                + " sync-server-config.json not found\\R");
  }

  @Test
  void anUnknownComponentIsItsNameCutToSixCharacters() {
    LoggerContext context = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent(
            "x", context.getLogger("io.tributary.x.Whatever"), Level.WARN, "m", null, null);

    assertThat(new ComponentTag().convert(event)).isEqualTo("Whatev");
  }
}
