package io.cantor.scheduler.store.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.cantor.model.IllegalTransitionException;
import io.cantor.model.Job;
import io.cantor.model.JobState;
import io.cantor.model.StaleLeaseException;
import io.cantor.scheduler.store.JobNotFoundException;
import io.cantor.scheduler.store.NotClaimableException;

import java.io.IOException;

/**
 * What an entry processor did, shipped back to the caller. Refusals travel as codes and become
 * exceptions on the caller's side: exceptions themselves would cross the wire through Java serialisation.
 */
public final class Outcome implements IdentifiedDataSerializable {

    enum Code { APPLIED, UNCHANGED, NOT_FOUND, STALE_TOKEN, ILLEGAL_TRANSITION, NOT_CLAIMABLE, CANCELLED }

    private Code code;
    private Job job;
    private long presentedToken;
    private JobState from;
    private JobState to;

    public Outcome() {
    }

    private Outcome(Code code, Job job) {
        this.code = code;
        this.job = job;
    }

    static Outcome applied(Job job) {
        return new Outcome(Code.APPLIED, job);
    }

    static Outcome unchanged(Job job) {
        return new Outcome(Code.UNCHANGED, job);
    }

    static Outcome cancelled(Job job) {
        return new Outcome(Code.CANCELLED, job);
    }

    static Outcome notFound() {
        return new Outcome(Code.NOT_FOUND, null);
    }

    static Outcome notClaimable(Job job) {
        return new Outcome(Code.NOT_CLAIMABLE, job);
    }

    static Outcome stale(Job job, long presented) {
        Outcome o = new Outcome(Code.STALE_TOKEN, job);
        o.presentedToken = presented;
        return o;
    }

    static Outcome illegal(Job job, JobState from, JobState to) {
        Outcome o = new Outcome(Code.ILLEGAL_TRANSITION, job);
        o.from = from;
        o.to = to;
        return o;
    }

    Code code() {
        return code;
    }

    /** The job after the operation, or the matching exception. */
    Job jobOrThrow(String jobId) {
        return switch (code) {
            case APPLIED, UNCHANGED, CANCELLED -> job;
            case NOT_FOUND -> throw new JobNotFoundException(jobId);
            case NOT_CLAIMABLE -> throw new NotClaimableException(jobId);
            case STALE_TOKEN -> throw new StaleLeaseException(jobId, presentedToken, job.attempt());
            case ILLEGAL_TRANSITION -> throw new IllegalTransitionException(jobId, from, to);
        };
    }

    @Override
    public int getFactoryId() {
        return JobProcessors.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return JobProcessors.OUTCOME;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByte(code.ordinal());
        out.writeObject(job);
        out.writeLong(presentedToken);
        out.writeByte(from == null ? -1 : from.ordinal());
        out.writeByte(to == null ? -1 : to.ordinal());
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        code = Code.values()[in.readByte()];
        job = in.readObject();
        presentedToken = in.readLong();
        byte f = in.readByte();
        byte t = in.readByte();
        from = f < 0 ? null : JobState.values()[f];
        to = t < 0 ? null : JobState.values()[t];
    }
}
