package io.cantor.scheduler.store.hazelcast;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.cantor.model.IllegalTransitionException;
import io.cantor.model.Job;
import io.cantor.model.JobResult;
import io.cantor.model.JobState;
import io.cantor.model.Progress;
import io.cantor.model.RetryBackoff;
import io.cantor.model.StaleLeaseException;
import io.cantor.model.hazelcast.JobSerializer;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The entry processors that change jobs. Each runs on the partition that owns the job, so it is
 * an atomic compare-and-set: it reads the current value, lets {@link Job} decide, and writes the
 * result, with no window in which another member could interleave. Time comes from the caller
 * so that a processor gives the same answer on the primary and on the backup.
 */
public final class JobProcessors implements DataSerializableFactory {
    public static final int FACTORY_ID = 1;
    static final int OUTCOME = 1;
    static final int CLAIM = 2;
    static final int HEARTBEAT = 3;
    static final int COMPLETE = 4;
    static final int FAIL = 5;
    static final int CANCEL = 6;
    static final int EXPIRE = 7;
    static final int CHECKPOINTED = 9;
    static final int VERSION_OF = 10;
    static final int ADOPT_NEWER = 11;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case OUTCOME -> new Outcome();
            case CLAIM -> new Claim();
            case HEARTBEAT -> new Heartbeat();
            case COMPLETE -> new Complete();
            case FAIL -> new Fail();
            case CANCEL -> new Cancel();
            case EXPIRE -> new ExpireLease();
            case CHECKPOINTED -> new Checkpointed();
            case VERSION_OF -> new VersionOf();
            case ADOPT_NEWER -> new AdoptNewer();
            default -> throw new IllegalArgumentException("unknown job processor " + typeId);
        };
    }

    /** Shared shape: load, decide, write back only what changed, report refusals as codes. */
    abstract static class JobProcessor implements EntryProcessor<String, Job, Outcome>, IdentifiedDataSerializable {
        long nowMillis;

        JobProcessor() {
        }

        JobProcessor(Instant now) {
            this.nowMillis = now.toEpochMilli();
        }

        Instant now() {
            return Instant.ofEpochMilli(nowMillis);
        }

        @Override
        public Outcome process(Map.Entry<String, Job> entry) {
            Job job = entry.getValue();
            if (job == null) {
                return Outcome.notFound();
            }
            Outcome early = precheck(job);
            if (early != null) {
                return early;
            }
            try {
                Job next = apply(job);
                if (next == job) {
                    return Outcome.unchanged(job);
                }
                entry.setValue(next);
                return Outcome.applied(next);
            } catch (StaleLeaseException e) {
                return Outcome.stale(job, e.presented());
            } catch (IllegalTransitionException e) {
                return Outcome.illegal(job, e.from(), e.to());
            }
        }

        /** A verdict before {@link #apply}, or null to go on. */
        Outcome precheck(Job job) {
            return null;
        }

        abstract Job apply(Job job);

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public final void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(nowMillis);
            writeFields(out);
        }

        @Override
        public final void readData(ObjectDataInput in) throws IOException {
            nowMillis = in.readLong();
            readFields(in);
        }

        abstract void writeFields(ObjectDataOutput out) throws IOException;

        abstract void readFields(ObjectDataInput in) throws IOException;
    }

    static final class Claim extends JobProcessor {
        private String nodeId;
        private List<Integer> gpus;
        private long leaseMillis;

        Claim() {
        }

        Claim(Instant now, String nodeId, List<Integer> gpus, Duration lease) {
            super(now);
            this.nodeId = nodeId;
            this.gpus = gpus;
            this.leaseMillis = lease.toMillis();
        }

        @Override
        Outcome precheck(Job job) {
            return job.isClaimableAt(now()) ? null : Outcome.notClaimable(job);
        }

        @Override
        Job apply(Job job) {
            return job.assign(nodeId, gpus, now(), Duration.ofMillis(leaseMillis));
        }

        @Override
        public int getClassId() {
            return CLAIM;
        }

        @Override
        void writeFields(ObjectDataOutput out) throws IOException {
            out.writeString(nodeId);
            out.writeLong(leaseMillis);
            out.writeInt(gpus.size());
            for (int g : gpus) {
                out.writeInt(g);
            }
        }

        @Override
        void readFields(ObjectDataInput in) throws IOException {
            nodeId = in.readString();
            leaseMillis = in.readLong();
            int n = in.readInt();
            gpus = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                gpus.add(in.readInt());
            }
        }
    }

    static final class Heartbeat extends JobProcessor {
        private long token;
        private Progress progress;
        private long leaseMillis;

        Heartbeat() {
        }

        Heartbeat(Instant now, long token, Progress progress, Duration lease) {
            super(now);
            this.token = token;
            this.progress = progress;
            this.leaseMillis = lease.toMillis();
        }

        /** The holder of a cancelled job hears "stop" instead of a refusal. */
        @Override
        Outcome precheck(Job job) {
            if (job.state() == JobState.CANCELLED && job.lease() != null && job.attempt() == token) {
                return Outcome.cancelled(job);
            }
            return null;
        }

        @Override
        Job apply(Job job) {
            return job.heartbeat(token, progress, now(), Duration.ofMillis(leaseMillis));
        }

        @Override
        public int getClassId() {
            return HEARTBEAT;
        }

        @Override
        void writeFields(ObjectDataOutput out) throws IOException {
            out.writeLong(token);
            out.writeLong(leaseMillis);
            JobSerializer.writeProgress(out, progress);
        }

        @Override
        void readFields(ObjectDataInput in) throws IOException {
            token = in.readLong();
            leaseMillis = in.readLong();
            progress = JobSerializer.readProgress(in);
        }
    }

    static final class Complete extends JobProcessor {
        private long token;
        private JobResult result;

        Complete() {
        }

        Complete(Instant now, long token, JobResult result) {
            super(now);
            this.token = token;
            this.result = result;
        }

        @Override
        Job apply(Job job) {
            return job.succeed(token, result, now());
        }

        @Override
        public int getClassId() {
            return COMPLETE;
        }

        @Override
        void writeFields(ObjectDataOutput out) throws IOException {
            out.writeLong(token);
            JobSerializer.writeResult(out, result);
        }

        @Override
        void readFields(ObjectDataInput in) throws IOException {
            token = in.readLong();
            result = JobSerializer.readResult(in);
        }
    }

    static final class Checkpointed extends JobProcessor {
        private long token;
        private int epoch;

        Checkpointed() {
        }

        Checkpointed(Instant now, long token, int epoch) {
            super(now);
            this.token = token;
            this.epoch = epoch;
        }

        @Override
        Job apply(Job job) {
            return job.checkpointed(token, epoch, now());
        }

        @Override
        public int getClassId() {
            return CHECKPOINTED;
        }

        @Override
        void writeFields(ObjectDataOutput out) throws IOException {
            out.writeLong(token);
            out.writeInt(epoch);
        }

        @Override
        void readFields(ObjectDataInput in) throws IOException {
            token = in.readLong();
            epoch = in.readInt();
        }
    }

    static final class Fail extends JobProcessor {
        private long token;
        private String reason;
        private boolean retryable;
        private RetryBackoff backoff;

        Fail() {
        }

        Fail(Instant now, long token, String reason, boolean retryable, RetryBackoff backoff) {
            super(now);
            this.token = token;
            this.reason = reason;
            this.retryable = retryable;
            this.backoff = backoff;
        }

        @Override
        Job apply(Job job) {
            return job.fail(token, reason, retryable, now(), backoff);
        }

        @Override
        public int getClassId() {
            return FAIL;
        }

        @Override
        void writeFields(ObjectDataOutput out) throws IOException {
            out.writeLong(token);
            out.writeString(reason);
            out.writeBoolean(retryable);
            writeBackoff(out, backoff);
        }

        @Override
        void readFields(ObjectDataInput in) throws IOException {
            token = in.readLong();
            reason = in.readString();
            retryable = in.readBoolean();
            backoff = readBackoff(in);
        }
    }

    static final class Cancel extends JobProcessor {
        private String reason;

        Cancel() {
        }

        Cancel(Instant now, String reason) {
            super(now);
            this.reason = reason;
        }

        /** Cancelling a cancelled job is a no-op, not an error: DELETE is idempotent. */
        @Override
        Outcome precheck(Job job) {
            return job.state() == JobState.CANCELLED ? Outcome.unchanged(job) : null;
        }

        @Override
        Job apply(Job job) {
            return job.cancel(reason, now());
        }

        @Override
        public int getClassId() {
            return CANCEL;
        }

        @Override
        void writeFields(ObjectDataOutput out) throws IOException {
            out.writeString(reason);
        }

        @Override
        void readFields(ObjectDataInput in) throws IOException {
            reason = in.readString();
        }
    }

    static final class ExpireLease extends JobProcessor {
        private RetryBackoff backoff;

        ExpireLease() {
        }

        ExpireLease(Instant now, RetryBackoff backoff) {
            super(now);
            this.backoff = backoff;
        }

        /** Only an expired lease is taken away; a late heartbeat may have renewed it since the query. */
        @Override
        Outcome precheck(Job job) {
            return job.isLeaseExpiredAt(now()) ? null : Outcome.unchanged(job);
        }

        @Override
        Job apply(Job job) {
            return job.expireLease(now(), backoff);
        }

        @Override
        public int getClassId() {
            return EXPIRE;
        }

        @Override
        void writeFields(ObjectDataOutput out) throws IOException {
            writeBackoff(out, backoff);
        }

        @Override
        void readFields(ObjectDataInput in) throws IOException {
            backoff = readBackoff(in);
        }
    }

    /** A job's version as its owner holds it, -1 if there is no such job; reads only, so no backup runs. */
    static final class VersionOf implements EntryProcessor<String, Job, Long>, ReadOnly, IdentifiedDataSerializable {
        @Override
        public Long process(Map.Entry<String, Job> entry) {
            Job job = entry.getValue();
            return job == null ? -1L : job.version();
        }

        @Override
        public EntryProcessor<String, Job, Long> getBackupProcessor() {
            return null;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return VERSION_OF;
        }

        @Override
        public void writeData(ObjectDataOutput out) {
        }

        @Override
        public void readData(ObjectDataInput in) {
        }
    }

    /**
     * Replaces the job with the journal's value if that is newer: a compare-and-set on the version.
     * A job that is gone (deleted meanwhile) stays gone.
     */
    static final class AdoptNewer implements EntryProcessor<String, Job, Boolean>, IdentifiedDataSerializable {
        private Job newer;

        AdoptNewer() {
        }

        AdoptNewer(Job newer) {
            this.newer = newer;
        }

        @Override
        public Boolean process(Map.Entry<String, Job> entry) {
            Job current = entry.getValue();
            if (current == null || current.version() >= newer.version()) {
                return false;
            }
            entry.setValue(newer);
            return true;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return ADOPT_NEWER;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeObject(newer);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            newer = in.readObject();
        }
    }

    private static void writeBackoff(ObjectDataOutput out, RetryBackoff backoff) throws IOException {
        out.writeLong(backoff.initial().toMillis());
        out.writeDouble(backoff.multiplier());
        out.writeLong(backoff.max().toMillis());
    }

    private static RetryBackoff readBackoff(ObjectDataInput in) throws IOException {
        return new RetryBackoff(Duration.ofMillis(in.readLong()), in.readDouble(), Duration.ofMillis(in.readLong()));
    }
}
