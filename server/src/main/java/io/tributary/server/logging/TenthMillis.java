package io.tributary.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** ObjectBox's time column: UTC, to a ten-thousandth of a second (HH:mm:ss.ffff). */
public final class TenthMillis extends ClassicConverter {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSSS").withZone(ZoneOffset.UTC);

  @Override
  public String convert(ILoggingEvent event) {
    return FORMAT.format(event.getInstant());
  }
}
