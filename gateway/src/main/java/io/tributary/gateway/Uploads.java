package io.tributary.gateway;

import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.kafka.Topics;
import io.tributary.schemas.codec.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes requests to the uploads topic, keyed by dataset so each lands in its partition. */
final class Uploads {

  private final Producer<String, byte[]> producer;
  private final Topics topics;

  Uploads(Producer<String, byte[]> producer, Topics topics) {
    this.producer = producer;
    this.topics = topics;
  }

  /** Completes on the caller's context once Kafka has the record. */
  Future<Void> publish(String dataset, ReplyTo replyTo, UploadRequest request) {
    Promise<Void> promise = Promise.promise();
    var context = Vertx.currentContext();
    byte[] value = RecordCodec.encode(RecordCodec.upload(dataset, replyTo, request));
    try {
      producer.send(
          new ProducerRecord<>(topics.uploads(), dataset, value),
          (metadata, error) ->
              context.runOnContext(
                  ignored -> {
                    if (error == null) {
                      promise.complete();
                    } else {
                      promise.fail(error);
                    }
                  }));
    } catch (RuntimeException closedOrBroken) { // A closing producer throws instead of failing.
      promise.fail(closedOrBroken);
    }
    return promise.future();
  }
}
