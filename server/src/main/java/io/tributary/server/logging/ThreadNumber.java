package io.tributary.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** ObjectBox's thread column: a small number per thread, in the order threads first log. */
public final class ThreadNumber extends ClassicConverter {

  private static final Map<String, Integer> NUMBERS = new ConcurrentHashMap<>();
  private static final AtomicInteger NEXT = new AtomicInteger();

  @Override
  public String convert(ILoggingEvent event) {
    int number =
        NUMBERS.computeIfAbsent(event.getThreadName(), name -> NEXT.incrementAndGet()) % 1000;
    return String.format("%03d", number);
  }
}
