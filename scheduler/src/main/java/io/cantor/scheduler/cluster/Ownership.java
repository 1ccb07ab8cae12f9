package io.cantor.scheduler.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;

/** Whether this member owns a key's partition: periodic tasks split their work by it, so none is done twice. */
public final class Ownership {
    private final HazelcastInstance hazelcast;

    public Ownership(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    /** False while the partition has no owner (migrating); the next round will see it. */
    public boolean ownsKey(Object key) {
        Partition partition = hazelcast.getPartitionService().getPartition(key);
        return partition.getOwner() != null && partition.getOwner().localMember();
    }
}
