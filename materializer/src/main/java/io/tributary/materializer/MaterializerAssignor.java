package io.tributary.materializer;

import io.tributary.core.placement.PartitionPlacement;
import io.tributary.schemas.MaterializerMember;
import io.tributary.schemas.MaterializerShare;
import io.tributary.schemas.codec.AvroTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.TopicPartition;

/**
 * The materializer group's assignor: members tell how far their stores have applied each history
 * partition and where their read API answers; the leader plans actives and standbys with {@link
 * PartitionPlacement} and gives each member its standbys and every partition's owner beside its
 * active partitions. Kafka makes it from its class name; the member it speaks for comes in the
 * consumer's configuration under {@link #MEMBERSHIP}.
 */
public final class MaterializerAssignor implements ConsumerPartitionAssignor, Configurable {

  static final String NAME = "tributary-materializer";
  static final String MEMBERSHIP = "tributary.materializer.membership";

  /** The member this assignor speaks for, and hears its share for. */
  interface Membership {
    /** Where its read API answers, and how far its store has applied each partition. */
    MaterializerMember describe();

    /** How many standbys the leader plans for each partition. */
    int standbyReplicas();

    /** How far behind the furthest store a store may be and still serve a partition. */
    long acceptableLag();

    /** Its share of the plan, heard before Kafka hands it its active partitions. */
    void assigned(MaterializerShare share, int generation);
  }

  static {
    AvroTrust.ensure();
  }

  private Membership membership;

  @Override
  public void configure(Map<String, ?> configs) {
    membership = (Membership) configs.get(MEMBERSHIP);
    if (membership == null) {
      throw new IllegalArgumentException(NAME + " needs " + MEMBERSHIP + " in its configuration");
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ByteBuffer subscriptionUserData(Set<String> topics) {
    return encode(membership.describe()::toByteBuffer);
  }

  @Override
  public GroupAssignment assign(Cluster metadata, GroupSubscription group) {
    Map<String, Subscription> subscriptions = group.groupSubscription();
    String topic = subscriptions.values().iterator().next().topics().get(0);
    Integer partitions = metadata.partitionCountForTopic(topic);
    Map<String, String> urls = new HashMap<>();
    List<PartitionPlacement.Member> members = new ArrayList<>();
    subscriptions.forEach(
        (id, subscription) -> {
          MaterializerMember member = decode(subscription.userData());
          urls.put(id, member.getUrl().toString());
          members.add(new PartitionPlacement.Member(id, stored(member)));
        });
    PartitionPlacement.Plan plan =
        PartitionPlacement.plan(
            partitions == null ? 0 : partitions,
            members,
            membership.standbyReplicas(),
            membership.acceptableLag());
    List<String> owners = plan.owners().stream().map(urls::get).toList();
    Map<String, Assignment> assignments = new HashMap<>();
    plan.shares()
        .forEach(
            (id, share) ->
                assignments.put(
                    id,
                    new Assignment(
                        share.active().stream().map(p -> new TopicPartition(topic, p)).toList(),
                        encode(
                            new MaterializerShare(
                                    List.copyOf(share.standby()),
                                    List.copyOf(share.warmup()),
                                    owners)
                                ::toByteBuffer))));
    return new GroupAssignment(assignments);
  }

  @Override
  public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
    try {
      membership.assigned(
          MaterializerShare.getDecoder().decode(assignment.userData()), metadata.generationId());
    } catch (IOException e) {
      throw new UncheckedIOException("undecodable materializer share", e);
    }
  }

  private static Map<Integer, Long> stored(MaterializerMember member) {
    Map<Integer, Long> stored = new HashMap<>();
    for (int i = 0; i < member.getStoredPartitions().size(); i++) {
      stored.put(member.getStoredPartitions().get(i), member.getStoredOffsets().get(i));
    }
    return stored;
  }

  private static MaterializerMember decode(ByteBuffer userData) {
    try {
      return MaterializerMember.getDecoder().decode(userData.duplicate());
    } catch (IOException e) {
      throw new UncheckedIOException("undecodable materializer member", e);
    }
  }

  /** An Avro record's single-object encoding; generated classes have no common method for it. */
  private interface Encoding {
    ByteBuffer encode() throws IOException;
  }

  private static ByteBuffer encode(Encoding record) {
    try {
      return record.encode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
