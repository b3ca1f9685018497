package io.tributary.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class BrokerStartNoiseTest {

  private final LoggerContext context = new LoggerContext();
  private final ListAppender<ILoggingEvent> shown = new ListAppender<>();

  BrokerStartNoiseTest() {
    BrokerStartNoise filter = new BrokerStartNoise();
    filter.start();
    context.addTurboFilter(filter);
    shown.setContext(context);
    shown.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(shown);
  }

  @Test
  void theRestartsNotYetControllerErrorIsDropped() {
    context
        .getLogger(BrokerStartNoise.LOGGER)
        .error(
            "Unexpected error handling request",
            new CompletionException(
                new NotControllerException("The active controller appears to be node 1.")));
    context
        .getLogger(BrokerStartNoise.LOGGER)
        .error(
            "Unexpected error handling request {}",
            "header",
            new NotControllerException("The active controller appears to be node 1."));

    assertThat(shown.list).isEmpty();
  }

  @Test
  void aCoordinatorLoadStoppedByANewLeaderEpochIsDropped() {
    Logger runtime =
        context.getLogger("org.apache.kafka.coordinator.common.runtime.CoordinatorRuntime");
    NotLeaderOrFollowerException stopped =
        new NotLeaderOrFollowerException(
            "Stopped loading records from __consumer_offsets-0 because the partition is not online"
                + " or is no longer leader.");
    runtime.error(
        "Failed to load metadata from {} with epoch {} due to {}.",
        "__consumer_offsets-0",
        0,
        stopped.toString());
    runtime.error(
        "Failed to load metadata from {} with epoch {} due to {}.",
        "__consumer_offsets-0",
        0,
        stopped.getMessage(),
        stopped);

    assertThat(shown.list).isEmpty();

    runtime.error(
        "Failed to load metadata from {} with epoch {} due to {}.",
        "__consumer_offsets-0",
        0,
        new IllegalStateException("corrupt record").toString());
    assertThat(shown.list).as("any other cause still shows").hasSize(1);
  }

  @Test
  void everyOtherErrorStillShows() {
    Logger controllerApis = context.getLogger(BrokerStartNoise.LOGGER);
    controllerApis.error("Unexpected error handling request", new TimeoutException("slow"));
    controllerApis.warn("a warning", new NotControllerException("not yet"));
    context
        .getLogger("kafka.server.BrokerServer")
        .error("elsewhere", new NotControllerException("not yet"));

    assertThat(shown.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("Unexpected error handling request", "a warning", "elsewhere");
  }
}
