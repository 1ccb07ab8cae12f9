package io.cantor.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A job, as an immutable value. Every change goes through one of the verbs below, which check
 * the transition table and the lease token and return a new value with {@code version + 1}.
 *
 * @param attempt   how many times the job has been handed to an agent; the current lease's token
 * @param lease     the agent's hold while {@link JobState#holdsLease()}; the last holder otherwise
 * @param reason    why the job was last requeued (kept after it succeeds), why it failed, or why it cannot be placed
 * @param notBefore a requeued job waits until then (backoff)
 */
public record Job(String id, String tenant, JobSpec spec, JobState state, long version, int attempt,
                  Lease lease, Progress progress, JobResult result, String reason,
                  Instant createdAt, Instant updatedAt, Instant notBefore, Instant startedAt, Instant finishedAt) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(notBefore, "notBefore");
    }

    /** How a reason starts when no registered agent could run the job; a claim clears such a note. */
    public static final String UNSCHEDULABLE = "unschedulable: ";

    /** A freshly submitted job. */
    public static Job submitted(String id, String tenant, JobSpec spec, Instant now) {
        return new Job(id, tenant, spec, JobState.QUEUED, 1, 0, null, null, null, null, now, now, now, null, null);
    }

    public boolean isLeaseExpiredAt(Instant now) {
        return state.holdsLease() && lease != null && lease.isExpiredAt(now);
    }

    public boolean isClaimableAt(Instant now) {
        return state == JobState.QUEUED && !now.isBefore(notBefore);
    }

    /** Hands the job to an agent. The new attempt number is the lease's fencing token. */
    public Job assign(String nodeId, List<Integer> gpus, Instant now, Duration leaseTtl) {
        JobStateTransitions.require(id, state, JobState.ASSIGNED);
        int next = attempt + 1;
        String stillTrue = reason != null && reason.startsWith(UNSCHEDULABLE) ? null : reason;
        return new Job(id, tenant, spec, JobState.ASSIGNED, version + 1, next,
                new Lease(nodeId, next, now.plus(leaseTtl), gpus), null, null, stillTrue,
                createdAt, now, notBefore, startedAt, finishedAt);
    }

    /**
     * The agent is alive and working: extends the lease and records progress. The first heartbeat
     * of an attempt moves {@code ASSIGNED -> RUNNING}. A cancelled job keeps refusing nothing here:
     * the caller reads the state and tells the agent to stop.
     */
    public Job heartbeat(long token, Progress report, Instant now, Duration leaseTtl) {
        requireToken(token);
        if (state == JobState.ASSIGNED) {
            JobStateTransitions.require(id, state, JobState.RUNNING);
        } else if (state != JobState.RUNNING) {
            throw new IllegalTransitionException(id, state, JobState.RUNNING);
        }
        return new Job(id, tenant, spec, JobState.RUNNING, version + 1, attempt,
                new Lease(lease.nodeId(), lease.token(), now.plus(leaseTtl), lease.gpus()),
                report == null ? progress : report, result, reason, createdAt, now, notBefore,
                startedAt == null ? now : startedAt, finishedAt);
    }

    public Job succeed(long token, JobResult outcome, Instant now) {
        requireToken(token);
        JobStateTransitions.require(id, state, JobState.SUCCEEDED);
        return new Job(id, tenant, spec, JobState.SUCCEEDED, version + 1, attempt, lease, progress, outcome, reason,
                createdAt, now, notBefore, startedAt == null ? now : startedAt, now);
    }

    /**
     * The agent gave up on this attempt. A retryable failure with attempts left goes back to the
     * queue after backoff; anything else fails the job for good.
     */
    public Job fail(long token, String why, boolean retryable, Instant now, RetryBackoff backoff) {
        requireToken(token);
        if (retryable && attempt < spec.maxAttempts()) {
            return requeue(why, now, backoff);
        }
        String detail = retryable ? why + " (gave up after " + attempt + " attempts)" : why;
        return finish(JobState.FAILED, detail, now);
    }

    /** The holder stopped heartbeating; requeue with backoff, or fail once attempts are spent. */
    public Job expireLease(Instant now, RetryBackoff backoff) {
        if (!isLeaseExpiredAt(now)) {
            throw new IllegalStateException("lease of job " + id + " has not expired at " + now);
        }
        String why = "lease lost: node " + lease.nodeId() + " sent no heartbeat since " + lease.expiresAt();
        if (attempt < spec.maxAttempts()) {
            return requeue(why, now, backoff);
        }
        return finish(JobState.FAILED, why + " (gave up after " + attempt + " attempts)", now);
    }

    public Job cancel(String why, Instant now) {
        return finish(JobState.CANCELLED, why, now);
    }

    /** Records why nothing can run the job, without changing its state. */
    public Job withReason(String why, Instant now) {
        if (Objects.equals(why, reason)) {
            return this;
        }
        return new Job(id, tenant, spec, state, version + 1, attempt, lease, progress, result, why, createdAt, now,
                notBefore, startedAt, finishedAt);
    }

    private Job requeue(String why, Instant now, RetryBackoff backoff) {
        JobStateTransitions.require(id, state, JobState.QUEUED);
        Instant retryAt = now.plus(backoff.delayAfter(attempt));
        return new Job(id, tenant, spec, JobState.QUEUED, version + 1, attempt, lease, progress, null, why,
                createdAt, now, retryAt, startedAt, null);
    }

    private Job finish(JobState terminal, String why, Instant now) {
        JobStateTransitions.require(id, state, terminal);
        return new Job(id, tenant, spec, terminal, version + 1, attempt, lease, progress, result, why,
                createdAt, now, notBefore, startedAt, now);
    }

    private void requireToken(long token) {
        if (lease == null || token != attempt) {
            throw new StaleLeaseException(id, token, attempt);
        }
    }
}
