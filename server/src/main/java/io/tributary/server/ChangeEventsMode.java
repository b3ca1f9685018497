package io.tributary.server;

import java.util.Locale;

/** Whether the materializer publishes change events, and how long the topic keeps them. */
enum ChangeEventsMode {
  /** Published, the topic keeping them for days. */
  ON,
  /** Published to a compacted topic: the latest event of every object, kept forever. */
  COMPACTED,
  /** Not published (a deployment's other materializers, or nobody reads them). */
  OFF;

  static ChangeEventsMode parse(String name, String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name + " must be on, compacted or off, not \"" + text + "\"");
    }
  }
}
