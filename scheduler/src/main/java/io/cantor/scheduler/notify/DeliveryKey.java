package io.cantor.scheduler.notify;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.partition.PartitionAware;

import java.io.IOException;
import java.util.Objects;

/**
 * One ordered stream of deliveries: a target (webhook subscription, per-job webhook, e-mail
 * address) and a job. Partitioned by the job id, so it lives where the job's events are relayed
 * and the relaying member can send at once.
 */
public final class DeliveryKey implements PartitionAware<String>, IdentifiedDataSerializable {
    private String targetId;
    private String jobId;

    public DeliveryKey() {
    }

    public DeliveryKey(String targetId, String jobId) {
        this.targetId = targetId;
        this.jobId = jobId;
    }

    public String targetId() {
        return targetId;
    }

    public String jobId() {
        return jobId;
    }

    @Override
    public String getPartitionKey() {
        return jobId;
    }

    @Override
    public int getFactoryId() {
        return DeliveryProcessors.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return DeliveryProcessors.KEY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(targetId);
        out.writeString(jobId);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        targetId = in.readString();
        jobId = in.readString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeliveryKey k && k.targetId.equals(targetId) && k.jobId.equals(jobId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(targetId, jobId);
    }

    @Override
    public String toString() {
        return targetId + "|" + jobId;
    }
}
