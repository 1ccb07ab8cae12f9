package io.cantor.scheduler.notify;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Atomic steps on a delivery queue and on a delivery log. */
public final class DeliveryProcessors implements DataSerializableFactory {
    public static final int FACTORY_ID = 6;
    static final int KEY = 1;
    static final int ENQUEUE = 2;
    static final int SETTLE = 3;
    static final int LOG = 4;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case KEY -> new DeliveryKey();
            case ENQUEUE -> new Enqueue();
            case SETTLE -> new Settle();
            case LOG -> new AppendLog();
            default -> throw new IllegalArgumentException("unknown delivery processor " + typeId);
        };
    }

    /** Adds events not queued before (by seq), keeping order. Returns the queue after. */
    static final class Enqueue implements EntryProcessor<DeliveryKey, DeliveryQueue, DeliveryQueue>, IdentifiedDataSerializable {
        private String targetId;
        private Channel channel;
        private String address;
        private String tenant;
        private String jobId;
        private List<DeliveryQueue.Pending> events;
        private long nowMillis;

        Enqueue() {
        }

        Enqueue(String targetId, Channel channel, String address, String tenant, String jobId,
                List<DeliveryQueue.Pending> events, long nowMillis) {
            this.targetId = targetId;
            this.channel = channel;
            this.address = address;
            this.tenant = tenant;
            this.jobId = jobId;
            this.events = events;
            this.nowMillis = nowMillis;
        }

        @Override
        public DeliveryQueue process(Map.Entry<DeliveryKey, DeliveryQueue> entry) {
            DeliveryQueue q = entry.getValue();
            long last = q == null ? 0 : q.lastQueuedSeq();
            List<DeliveryQueue.Pending> fresh = events.stream().filter(e -> e.seq() > last).toList();
            if (fresh.isEmpty()) {
                return q;
            }
            List<DeliveryQueue.Pending> pending = new ArrayList<>(q == null ? List.of() : q.pending());
            pending.addAll(fresh);
            DeliveryQueue next = q == null || q.pending().isEmpty()
                    ? new DeliveryQueue(targetId, channel, address, tenant, jobId, pending,
                    fresh.get(fresh.size() - 1).seq(), 0, 0, nowMillis)
                    : new DeliveryQueue(q.targetId(), q.channel(), q.address(), q.tenant(), q.jobId(), pending,
                    fresh.get(fresh.size() - 1).seq(), q.attempts(), q.firstFailureAt(), q.nextAttemptAt());
            entry.setValue(next);
            return next;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return ENQUEUE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(targetId);
            out.writeByte(channel.ordinal());
            out.writeString(address);
            out.writeString(tenant);
            out.writeString(jobId);
            out.writeLong(nowMillis);
            out.writeInt(events.size());
            for (DeliveryQueue.Pending p : events) {
                out.writeString(p.eventId());
                out.writeString(p.type());
                out.writeLong(p.seq());
                out.writeString(p.body());
            }
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            targetId = in.readString();
            channel = Channel.values()[in.readByte()];
            address = in.readString();
            tenant = in.readString();
            jobId = in.readString();
            nowMillis = in.readLong();
            int n = in.readInt();
            events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                events.add(new DeliveryQueue.Pending(in.readString(), in.readString(), in.readLong(), in.readString()));
            }
        }
    }

    /**
     * The head's attempt ended: delivered or given up pops it; a failure schedules the next try.
     * Applies only if the head is still {@code eventId} (a duplicate sender's late answer changes nothing).
     * An emptied queue is removed.
     */
    static final class Settle implements EntryProcessor<DeliveryKey, DeliveryQueue, DeliveryQueue>, IdentifiedDataSerializable {
        private String eventId;
        private boolean pop;
        private long nowMillis;
        private long nextAttemptAt;

        Settle() {
        }

        Settle(String eventId, boolean pop, long nowMillis, long nextAttemptAt) {
            this.eventId = eventId;
            this.pop = pop;
            this.nowMillis = nowMillis;
            this.nextAttemptAt = nextAttemptAt;
        }

        @Override
        public DeliveryQueue process(Map.Entry<DeliveryKey, DeliveryQueue> entry) {
            DeliveryQueue q = entry.getValue();
            if (q == null || q.pending().isEmpty() || !q.pending().get(0).eventId().equals(eventId)) {
                return q;
            }
            DeliveryQueue next;
            if (pop) {
                List<DeliveryQueue.Pending> rest = q.pending().subList(1, q.pending().size());
                if (rest.isEmpty()) {
                    // Keep the entry (with lastQueuedSeq) so that a late re-relay cannot queue old events again.
                    next = new DeliveryQueue(q.targetId(), q.channel(), q.address(), q.tenant(), q.jobId(), List.of(),
                            q.lastQueuedSeq(), 0, 0, nowMillis);
                } else {
                    next = new DeliveryQueue(q.targetId(), q.channel(), q.address(), q.tenant(), q.jobId(), rest,
                            q.lastQueuedSeq(), 0, 0, nowMillis);
                }
            } else {
                next = new DeliveryQueue(q.targetId(), q.channel(), q.address(), q.tenant(), q.jobId(), q.pending(),
                        q.lastQueuedSeq(), q.attempts() + 1, q.firstFailureAt() == 0 ? nowMillis : q.firstFailureAt(),
                        nextAttemptAt);
            }
            entry.setValue(next);
            return next;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return SETTLE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(eventId);
            out.writeBoolean(pop);
            out.writeLong(nowMillis);
            out.writeLong(nextAttemptAt);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            eventId = in.readString();
            pop = in.readBoolean();
            nowMillis = in.readLong();
            nextAttemptAt = in.readLong();
        }
    }

    /** Appends one attempt to a target's delivery log (the last {@link DeliveryLog#LIMIT} are kept). */
    static final class AppendLog implements EntryProcessor<String, DeliveryLog, Void>, IdentifiedDataSerializable {
        private String attemptJson;

        AppendLog() {
        }

        AppendLog(DeliveryAttempt attempt) {
            this.attemptJson = io.cantor.model.json.Json.write(attempt);
        }

        @Override
        public Void process(Map.Entry<String, DeliveryLog> entry) {
            DeliveryAttempt attempt;
            try {
                attempt = io.cantor.model.json.Json.read(attemptJson, DeliveryAttempt.class);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            List<DeliveryAttempt> all = new ArrayList<>(entry.getValue() == null ? List.of() : entry.getValue().attempts());
            all.add(attempt);
            if (all.size() > DeliveryLog.LIMIT) {
                all = all.subList(all.size() - DeliveryLog.LIMIT, all.size());
            }
            entry.setValue(new DeliveryLog(all));
            return null;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return LOG;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(attemptJson);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            attemptJson = in.readString();
        }
    }
}
