package io.cantor.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A job, as an immutable value. Every change goes through one of the verbs below, which check
 * the transition table and the lease token and return a new value with {@code version + 1}; the
 * events a change causes are recorded in the same new value.
 *
 * @param attempt   how many times the job has been handed to an agent; the current lease's token
 * @param lease     the agent's hold while {@link JobState#holdsLease()}; the last holder otherwise
 * @param reason    why the job was last requeued (kept after it succeeds), why it failed, or why it cannot be placed
 * @param notBefore a requeued job waits until then (backoff)
 * @param eventSeq  the seq of the job's latest event
 * @param outbox    the job's latest events (at most {@link #OUTBOX}), written atomically with the change
 *                  that caused them; a relay copies them to histories, streams and webhooks
 */
public record Job(String id, String tenant, JobSpec spec, JobState state, long version, int attempt,
                  Lease lease, Progress progress, JobResult result, String reason,
                  Instant createdAt, Instant updatedAt, Instant notBefore, Instant startedAt, Instant finishedAt,
                  long eventSeq, List<JobEvent> outbox) {

    /** How many recent events a job keeps for the relay that publishes them. */
    public static final int OUTBOX = 8;
    /** Progress events: at most one per this interval, plus one per epoch. */
    public static final Duration PROGRESS_EVENT_INTERVAL = Duration.ofSeconds(1);

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(notBefore, "notBefore");
        outbox = outbox == null ? List.of() : List.copyOf(outbox);
    }

    /** A freshly submitted job, with its {@code job.queued} event. */
    public static Job submitted(String id, String tenant, JobSpec spec, Instant now) {
        Job job = new Job(id, tenant, spec, JobState.QUEUED, 1, 0, null, null, null, null, now, now, now, null, null,
                0, List.of());
        return job.emit(JobEvent.QUEUED, now, null, null, null, 0);
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
        return new Job(id, tenant, spec, JobState.ASSIGNED, version + 1, next,
                new Lease(nodeId, next, now.plus(leaseTtl), gpus), null, null, reason,
                createdAt, now, notBefore, startedAt, finishedAt, eventSeq, outbox);
    }

    /**
     * The agent is alive and working: extends the lease and records progress. The first heartbeat
     * of an attempt moves {@code ASSIGNED -> RUNNING} ({@code job.started}); progress becomes a
     * {@code job.progress} event once per epoch and at most once per {@link #PROGRESS_EVENT_INTERVAL}.
     */
    public Job heartbeat(long token, Progress report, Instant now, Duration leaseTtl) {
        requireToken(token);
        boolean starting = state == JobState.ASSIGNED;
        if (starting) {
            JobStateTransitions.require(id, state, JobState.RUNNING);
        } else if (state != JobState.RUNNING) {
            throw new IllegalTransitionException(id, state, JobState.RUNNING);
        }
        Job next = new Job(id, tenant, spec, JobState.RUNNING, version + 1, attempt,
                new Lease(lease.nodeId(), lease.token(), now.plus(leaseTtl), lease.gpus()),
                report == null ? progress : report, result, reason, createdAt, now, notBefore,
                startedAt == null ? now : startedAt, finishedAt, eventSeq, outbox);
        if (starting) {
            next = next.emit(JobEvent.STARTED, now, null, report, null, 0);
        } else if (report != null && progressIsNews(report, now)) {
            next = next.emit(JobEvent.PROGRESS, now, null, report, null, 0);
        }
        return next;
    }

    /** The holder stored a checkpoint after {@code epoch}. */
    public Job checkpointed(long token, int epoch, Instant now) {
        requireToken(token);
        if (!state.holdsLease()) {
            throw new IllegalTransitionException(id, state, state);
        }
        return new Job(id, tenant, spec, state, version + 1, attempt, lease, progress, result, reason, createdAt, now,
                notBefore, startedAt, finishedAt, eventSeq, outbox)
                .emit(JobEvent.CHECKPOINTED, now, null, null, null, epoch);
    }

    public Job succeed(long token, JobResult outcome, Instant now) {
        requireToken(token);
        JobStateTransitions.require(id, state, JobState.SUCCEEDED);
        return new Job(id, tenant, spec, JobState.SUCCEEDED, version + 1, attempt, lease, progress, outcome, reason,
                createdAt, now, notBefore, startedAt == null ? now : startedAt, now, eventSeq, outbox)
                .emit(JobEvent.SUCCEEDED, now, null, null, outcome == null ? null : outcome.metrics(), 0);
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
        return finish(JobState.FAILED, JobEvent.FAILED, detail, now);
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
        return finish(JobState.FAILED, JobEvent.FAILED, why + " (gave up after " + attempt + " attempts)", now);
    }

    public Job cancel(String why, Instant now) {
        return finish(JobState.CANCELLED, JobEvent.CANCELLED, why, now);
    }

    private Job requeue(String why, Instant now, RetryBackoff backoff) {
        JobStateTransitions.require(id, state, JobState.QUEUED);
        Instant retryAt = now.plus(backoff.delayAfter(attempt));
        return new Job(id, tenant, spec, JobState.QUEUED, version + 1, attempt, lease, progress, null, why,
                createdAt, now, retryAt, startedAt, null, eventSeq, outbox)
                .emit(JobEvent.REQUEUED, now, why, null, null, 0);
    }

    private Job finish(JobState terminal, String eventType, String why, Instant now) {
        JobStateTransitions.require(id, state, terminal);
        return new Job(id, tenant, spec, terminal, version + 1, attempt, lease, progress, result, why,
                createdAt, now, notBefore, startedAt, now, eventSeq, outbox)
                .emit(eventType, now, why, null, null, 0);
    }

    /** Appends an event describing this (already changed) value, keeping the outbox bounded. */
    private Job emit(String type, Instant now, String why, Progress report, Map<String, Double> metrics, int epoch) {
        JobEvent event = new JobEvent(eventSeq + 1, type, now, state, attempt, lease == null ? null : lease.nodeId(), why,
                report, metrics, epoch);
        List<JobEvent> events = new ArrayList<>(outbox.size() + 1);
        events.addAll(outbox.size() >= OUTBOX ? outbox.subList(outbox.size() - OUTBOX + 1, outbox.size()) : outbox);
        events.add(event);
        return new Job(id, tenant, spec, state, version, attempt, lease, progress, result, reason, createdAt, updatedAt,
                notBefore, startedAt, finishedAt, eventSeq + 1, events);
    }

    private boolean progressIsNews(Progress report, Instant now) {
        for (int i = outbox.size() - 1; i >= 0; i--) {
            JobEvent e = outbox.get(i);
            if (JobEvent.PROGRESS.equals(e.type()) || JobEvent.STARTED.equals(e.type())) {
                int lastEpoch = e.progress() == null ? -1 : e.progress().epoch();
                return report.epoch() != lastEpoch || !now.isBefore(e.time().plus(PROGRESS_EVENT_INTERVAL));
            }
        }
        return true;
    }

    private void requireToken(long token) {
        if (lease == null || token != attempt) {
            throw new StaleLeaseException(id, token, attempt);
        }
    }
}
