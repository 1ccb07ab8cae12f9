package io.cantor.scheduler.store;

import io.cantor.model.IllegalTransitionException;
import io.cantor.model.Job;
import io.cantor.model.JobResult;
import io.cantor.model.JobSpec;
import io.cantor.model.JobState;
import io.cantor.model.Progress;
import io.cantor.model.ResourceRequest;
import io.cantor.model.StaleLeaseException;
import io.cantor.model.TrainingParams;
import io.cantor.model.util.SettableClock;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.cantor.scheduler.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link JobStore} adapter must do. Lease timeout 20 s, backoff 5 s doubling, time from
 * {@link #clock}. Subclasses provide the adapter in a particular deployment.
 */
public abstract class JobStoreContract {
    protected static final Duration LEASE = Duration.ofSeconds(20);
    protected final SettableClock clock = new SettableClock(Instant.parse("2026-05-01T10:00:00Z"));

    protected abstract JobStore store();

    Job newJob(int maxAttempts) {
        JobSpec spec = JobSpec.training(UUID.randomUUID().toString(), TrainingParams.DEFAULTS, 0, ResourceRequest.ANY)
                .withMaxAttempts(maxAttempts);
        return Job.submitted(UUID.randomUUID().toString(), "tenant", spec, clock.instant());
    }

    Job enqueued(int maxAttempts) {
        return await(store().enqueue(newJob(maxAttempts)));
    }

    Job version(String id) {
        return await(store().find(id)).orElseThrow();
    }

    @Test
    void enqueuedJobsCanBeFound() {
        Job job = enqueued(3);
        assertEquals(Optional.of(job), await(store().find(job.id())));
        assertEquals(Optional.empty(), await(store().find(UUID.randomUUID().toString())));
    }

    @Test
    void ofManyConcurrentClaimsExactlyOneWins() {
        Job job = enqueued(3);
        List<Future<Job>> claims = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            claims.add(store().claim(job.id(), "node-" + i, List.of()));
        }
        await(Future.join(claims).otherwiseEmpty());
        long won = claims.stream().filter(Future::succeeded).count();
        assertEquals(1, won);
        assertTrue(claims.stream().filter(Future::failed).allMatch(f -> f.cause() instanceof NotClaimableException));
        Job claimed = version(job.id());
        assertEquals(JobState.ASSIGNED, claimed.state());
        assertEquals(1, claimed.attempt());
    }

    @Test
    void heartbeatsStartTheJobAndExtendTheLease() {
        Job job = enqueued(3);
        await(store().claim(job.id(), "n1", List.of()));
        clock.advance(Duration.ofSeconds(10));
        Progress p = new Progress("train", 2, 10, 20, 100, 0.5, 3, 80);
        JobStore.HeartbeatOutcome outcome = await(store().heartbeat(job.id(), 1, p));
        assertFalse(outcome.cancelled());
        assertEquals(JobState.RUNNING, outcome.job().state());
        assertEquals(clock.instant().plus(LEASE), outcome.job().lease().expiresAt());
        assertEquals(p, version(job.id()).progress());
    }

    @Test
    void aStaleTokenIsRefusedAndChangesNothing() {
        Job job = enqueued(3);
        await(store().claim(job.id(), "n1", List.of()));
        Job before = version(job.id());
        assertThrows(StaleLeaseException.class, () -> await(store().heartbeat(job.id(), 7, null)));
        assertThrows(StaleLeaseException.class, () -> await(store().complete(job.id(), 0, result())));
        assertThrows(StaleLeaseException.class, () -> await(store().fail(job.id(), 2, "x", true)));
        assertEquals(before, version(job.id()));
    }

    @Test
    void aZombieCannotFinishARequeuedJob() {
        Job job = enqueued(3);
        await(store().claim(job.id(), "zombie", List.of()));
        clock.advance(LEASE.plusSeconds(1));
        assertTrue(await(store().requeueExpired(job.id())).isPresent());
        clock.advance(Duration.ofMinutes(1));
        await(store().claim(job.id(), "healthy", List.of()));
        assertThrows(StaleLeaseException.class, () -> await(store().complete(job.id(), 1, result())));
        Job done = await(store().complete(job.id(), 2, result()));
        assertEquals(JobState.SUCCEEDED, done.state());
        assertEquals("healthy", done.lease().nodeId());
    }

    @Test
    void onlyAnExpiredLeaseIsTakenBack() {
        Job job = enqueued(3);
        await(store().claim(job.id(), "n1", List.of()));
        clock.advance(LEASE.minusSeconds(1));
        assertEquals(Optional.empty(), await(store().requeueExpired(job.id())));
        assertEquals(JobState.ASSIGNED, version(job.id()).state());
        clock.advance(Duration.ofSeconds(1));
        Job requeued = await(store().requeueExpired(job.id())).orElseThrow();
        assertEquals(JobState.QUEUED, requeued.state());
        assertEquals(clock.instant().plusSeconds(5), requeued.notBefore(), "first backoff step");
        assertThrows(NotClaimableException.class, () -> await(store().claim(job.id(), "n2", List.of())),
                "not claimable during backoff");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(2, await(store().claim(job.id(), "n2", List.of())).attempt());
    }

    @Test
    void failuresRequeueWhileAttemptsRemainAndFatalOnesEndTheJob() {
        Job job = enqueued(2);
        await(store().claim(job.id(), "n1", List.of()));
        assertEquals(JobState.QUEUED, await(store().fail(job.id(), 1, "node rebooting", true)).state());
        clock.advance(Duration.ofMinutes(1));
        await(store().claim(job.id(), "n1", List.of()));
        Job failed = await(store().fail(job.id(), 2, "node rebooting", true));
        assertEquals(JobState.FAILED, failed.state());

        Job other = enqueued(5);
        await(store().claim(other.id(), "n1", List.of()));
        assertEquals(JobState.FAILED, await(store().fail(other.id(), 1, "not audio", false)).state());
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnceAndARunningOneAtItsNextHeartbeat() {
        Job queued = enqueued(3);
        assertEquals(JobState.CANCELLED, await(store().cancel(queued.id(), "user")).state());
        assertThrows(NotClaimableException.class, () -> await(store().claim(queued.id(), "n1", List.of())));
        assertEquals(JobState.CANCELLED, await(store().cancel(queued.id(), "again")).state(), "cancel is idempotent");

        Job running = enqueued(3);
        await(store().claim(running.id(), "n1", List.of()));
        await(store().heartbeat(running.id(), 1, null));
        await(store().cancel(running.id(), "user"));
        JobStore.HeartbeatOutcome next = await(store().heartbeat(running.id(), 1, null));
        assertTrue(next.cancelled());
        assertThrows(IllegalTransitionException.class, () -> await(store().complete(running.id(), 1, result())));
        assertThrows(StaleLeaseException.class, () -> await(store().heartbeat(running.id(), 0, null)));
    }

    @Test
    void aFinishedJobCannotBeCancelled() {
        Job job = enqueued(3);
        await(store().claim(job.id(), "n1", List.of()));
        await(store().complete(job.id(), 1, result()));
        assertThrows(IllegalTransitionException.class, () -> await(store().cancel(job.id(), "late")));
    }

    @Test
    void verbsOnAnUnknownJobSayNotFound() {
        String id = UUID.randomUUID().toString();
        assertThrows(JobNotFoundException.class, () -> await(store().claim(id, "n1", List.of())));
        assertThrows(JobNotFoundException.class, () -> await(store().heartbeat(id, 1, null)));
        assertThrows(JobNotFoundException.class, () -> await(store().cancel(id, "x")));
        assertEquals(Optional.empty(), await(store().requeueExpired(id)));
    }

    static JobResult result() {
        return new JobResult("models/x.zip", 10, "00", Map.of("final_loss", 0.1));
    }
}
