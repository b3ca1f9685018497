package io.tributary.materializer;

import io.tributary.kafka.Topics;
import java.nio.file.Path;

/** A materializer with change events on and its own store; closing it closes both. */
record RunningMaterializer(MaterializerService service, RocksStore store) implements AutoCloseable {

  static RunningMaterializer start(String bootstrap, Topics topics, Path dir) {
    RocksStore store = RocksStore.open(dir);
    return new RunningMaterializer(
        new MaterializerService(new MaterializerConfig(bootstrap, topics, true), store).start(),
        store);
  }

  @Override
  public void close() throws InterruptedException {
    service.close();
    store.close();
  }
}
