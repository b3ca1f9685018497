package io.tributary.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;

/**
 * ObjectBox's component column: six characters naming the part that logs ({@code SySvAp} for the
 * server application, {@code SvSync} for the sync service, ...), padded.
 */
public final class ComponentTag extends ClassicConverter {

  private static final Map<String, String> TAGS =
      Map.ofEntries(
          Map.entry("SyncServer", "SySvAp"),
          Map.entry("Gateway", "SvSync"),
          Map.entry("SyncVerticle", "SvSync"),
          Map.entry("Connection", "SvSync"),
          Map.entry("Session", "SvSync"),
          Map.entry("DownloadsListener", "SvSync"),
          Map.entry("SequencerService", "Seqncr"),
          Map.entry("PartitionSequencer", "Seqncr"),
          Map.entry("MaterializerService", "Mtrlzr"),
          Map.entry("ReadApi", "HttpSv"),
          Map.entry("EmbeddedKafkaBroker", "Kafka"),
          Map.entry("SchemaVersions", "SchVer"));

  @Override
  public String convert(ILoggingEvent event) {
    String name = event.getLoggerName();
    String simple = name.substring(name.lastIndexOf('.') + 1);
    String tag = TAGS.getOrDefault(simple, simple.length() > 6 ? simple.substring(0, 6) : simple);
    return String.format("%-6s", tag);
  }
}
