package io.cantor.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(20);
    static final RetryBackoff BACKOFF = new RetryBackoff(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(1));

    static Job queued(int maxAttempts) {
        JobSpec spec = JobSpec.training("d1", TrainingParams.DEFAULTS, 0, ResourceRequest.ANY).withMaxAttempts(maxAttempts);
        return Job.submitted("j1", "t1", spec, T0);
    }

    @Test
    void assignStartsAnAttemptWhoseNumberIsTheFencingToken() {
        Job job = queued(3).assign("n1", List.of(0), T0.plusSeconds(1), LEASE);
        assertEquals(JobState.ASSIGNED, job.state());
        assertEquals(1, job.attempt());
        assertEquals(1, job.lease().token());
        assertEquals(T0.plusSeconds(21), job.lease().expiresAt());
        assertEquals(2, job.version());
        assertEquals(List.of(0), job.lease().gpus());
    }

    @Test
    void theFirstHeartbeatStartsTheJobAndEveryHeartbeatExtendsTheLease() {
        Job assigned = queued(3).assign("n1", List.of(), T0, LEASE);
        Progress p = new Progress("train", 1, 10, 5, 50, 0.5, 10, 100);
        Job running = assigned.heartbeat(1, p, T0.plusSeconds(5), LEASE);
        assertEquals(JobState.RUNNING, running.state());
        assertEquals(T0.plusSeconds(5), running.startedAt());
        assertEquals(T0.plusSeconds(25), running.lease().expiresAt());
        assertEquals(p, running.progress());
        Job later = running.heartbeat(1, null, T0.plusSeconds(10), LEASE);
        assertEquals(T0.plusSeconds(5), later.startedAt(), "startedAt stays the first start");
        assertEquals(p, later.progress(), "a heartbeat without progress keeps the last");
        assertEquals(running.version() + 1, later.version());
    }

    @Test
    void aStaleTokenChangesNothing() {
        Job running = queued(3).assign("n1", List.of(), T0, LEASE).heartbeat(1, null, T0, LEASE);
        StaleLeaseException e = assertThrows(StaleLeaseException.class,
                () -> running.heartbeat(0, null, T0, LEASE));
        assertEquals(0, e.presented());
        assertEquals(1, e.current());
        assertThrows(StaleLeaseException.class, () -> running.succeed(2, null, T0));
        assertThrows(StaleLeaseException.class, () -> running.fail(7, "x", true, T0, BACKOFF));
        assertThrows(StaleLeaseException.class, () -> queued(3).heartbeat(0, null, T0, LEASE), "no lease yet");
    }

    @Test
    void aRetryableFailureRequeuesWithBackoffUntilAttemptsRunOut() {
        Job first = queued(2).assign("n1", List.of(), T0, LEASE);
        Job requeued = first.fail(1, "CUDA out of memory", true, T0.plusSeconds(3), BACKOFF);
        assertEquals(JobState.QUEUED, requeued.state());
        assertEquals("CUDA out of memory", requeued.reason());
        assertEquals(T0.plusSeconds(8), requeued.notBefore());
        assertFalse(requeued.isClaimableAt(T0.plusSeconds(7)));
        assertTrue(requeued.isClaimableAt(T0.plusSeconds(8)));

        Job second = requeued.assign("n2", List.of(), T0.plusSeconds(9), LEASE);
        assertEquals(2, second.attempt());
        Job failed = second.fail(2, "CUDA out of memory", true, T0.plusSeconds(10), BACKOFF);
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.reason().contains("gave up after 2 attempts"), failed.reason());
        assertEquals(T0.plusSeconds(10), failed.finishedAt());
    }

    @Test
    void aFatalFailureFailsAtOnce() {
        Job failed = queued(5).assign("n1", List.of(), T0, LEASE).fail(1, "not audio", false, T0, BACKOFF);
        assertEquals(JobState.FAILED, failed.state());
        assertEquals("not audio", failed.reason());
    }

    @Test
    void anExpiredLeaseRequeuesAndOnlyAnExpiredOne() {
        Job assigned = queued(3).assign("n1", List.of(), T0, LEASE);
        assertThrows(IllegalStateException.class, () -> assigned.expireLease(T0.plusSeconds(19), BACKOFF));
        Job requeued = assigned.expireLease(T0.plusSeconds(20), BACKOFF);
        assertEquals(JobState.QUEUED, requeued.state());
        assertTrue(requeued.reason().startsWith("lease lost: node n1"), requeued.reason());
        assertEquals(1, requeued.attempt(), "the next claim makes attempt 2");
        assertEquals(2, requeued.assign("n2", List.of(), T0.plusSeconds(30), LEASE).lease().token());
    }

    @Test
    void theLastExpiredLeaseFailsTheJob() {
        Job job = queued(1).assign("n1", List.of(), T0, LEASE).expireLease(T0.plusSeconds(60), BACKOFF);
        assertEquals(JobState.FAILED, job.state());
    }

    @Test
    void succeedingKeepsTheResultAndEndsTheJob() {
        JobResult result = new JobResult("models/j1.zip", 10, "abc", Map.of("mcd_db", 5.5));
        Job done = queued(3).assign("n1", List.of(), T0, LEASE).heartbeat(1, null, T0, LEASE).succeed(1, result, T0.plusSeconds(9));
        assertEquals(JobState.SUCCEEDED, done.state());
        assertEquals(result, done.result());
        assertNull(done.reason());
        assertThrows(IllegalTransitionException.class, () -> done.cancel("late", T0));
    }

    @Test
    void cancelWorksFromEveryLiveState() {
        assertEquals(JobState.CANCELLED, queued(3).cancel("user", T0).state());
        Job running = queued(3).assign("n1", List.of(), T0, LEASE).heartbeat(1, null, T0, LEASE);
        Job cancelled = running.cancel("user", T0);
        assertEquals(JobState.CANCELLED, cancelled.state());
        assertEquals(running.lease(), cancelled.lease(), "the last holder is remembered, to tell it to stop");
        assertThrows(IllegalTransitionException.class, () -> cancelled.heartbeat(1, null, T0, LEASE));
    }

    @Test
    void backoffGrowsExponentiallyUpToItsCap() {
        assertEquals(Duration.ofSeconds(5), BACKOFF.delayAfter(1));
        assertEquals(Duration.ofSeconds(10), BACKOFF.delayAfter(2));
        assertEquals(Duration.ofSeconds(40), BACKOFF.delayAfter(4));
        assertEquals(Duration.ofMinutes(1), BACKOFF.delayAfter(10));
        assertEquals(Duration.ofMinutes(1), BACKOFF.delayAfter(1000));
    }

    @Test
    void transitionsRecordTheirEventsWithAGaplessSequence() {
        Job job = queued(3);
        assertEquals(List.of(JobEvent.QUEUED), types(job));
        Job running = job.assign("n1", List.of(), T0, LEASE).heartbeat(1, null, T0.plusMillis(10), LEASE);
        assertEquals(List.of(JobEvent.QUEUED, JobEvent.STARTED), types(running));
        assertEquals("n1", running.outbox().get(1).node());
        Job requeued = running.fail(1, "oom", true, T0.plusSeconds(1), BACKOFF);
        JobEvent last = requeued.outbox().get(requeued.outbox().size() - 1);
        assertEquals(JobEvent.REQUEUED, last.type());
        assertEquals("oom", last.reason());
        assertEquals(3, last.seq());
        assertEquals(3, requeued.eventSeq());
        Job done = requeued.assign("n2", List.of(), T0.plusSeconds(9), LEASE).heartbeat(2, null, T0.plusSeconds(9), LEASE)
                .checkpointed(2, 4, T0.plusSeconds(10))
                .succeed(2, new JobResult("k", 1, "s", Map.of("mcd_db", 5.0)), T0.plusSeconds(11));
        assertEquals(List.of(JobEvent.QUEUED, JobEvent.STARTED, JobEvent.REQUEUED, JobEvent.STARTED,
                JobEvent.CHECKPOINTED, JobEvent.SUCCEEDED), types(done));
        assertEquals(4, done.outbox().get(4).checkpointEpoch());
        assertEquals(Map.of("mcd_db", 5.0), done.outbox().get(5).metrics());
        assertTrue(done.outbox().get(5).endsJob());
        for (int i = 0; i < done.outbox().size(); i++) {
            assertEquals(i + 1, done.outbox().get(i).seq());
        }
    }

    @Test
    void progressBecomesAnEventOncePerEpochAndAtMostOncePerSecond() {
        Job job = queued(3).assign("n1", List.of(), T0, LEASE).heartbeat(1, null, T0, LEASE);
        long before = job.eventSeq();
        Job a = job.heartbeat(1, progress(1), T0.plusMillis(100), LEASE);
        Job b = a.heartbeat(1, progress(1), T0.plusMillis(600), LEASE);
        Job c = b.heartbeat(1, progress(1), T0.plusMillis(1200), LEASE);
        Job d = c.heartbeat(1, progress(2), T0.plusMillis(1300), LEASE);
        Job e = d.heartbeat(1, null, T0.plusMillis(5000), LEASE);
        assertEquals(before + 1, a.eventSeq(), "new epoch");
        assertEquals(a.eventSeq(), b.eventSeq(), "same epoch within a second");
        assertEquals(a.eventSeq() + 1, c.eventSeq(), "a second later");
        assertEquals(c.eventSeq() + 1, d.eventSeq(), "next epoch at once");
        assertEquals(d.eventSeq(), e.eventSeq(), "a heartbeat without progress is no event");
    }

    @Test
    void theOutboxKeepsOnlyTheLatestEvents() {
        Job job = queued(3).assign("n1", List.of(), T0, LEASE).heartbeat(1, null, T0, LEASE);
        for (int epoch = 1; epoch <= 20; epoch++) {
            job = job.heartbeat(1, progress(epoch), T0.plusSeconds(epoch), LEASE);
        }
        assertEquals(Job.OUTBOX, job.outbox().size());
        assertEquals(22, job.eventSeq());
        assertEquals(22, job.outbox().get(Job.OUTBOX - 1).seq());
        assertEquals(15, job.outbox().get(0).seq());
    }

    static Progress progress(int epoch) {
        return new Progress("train", epoch, 20, epoch * 10L, 200, 0.5, 1, 10);
    }

    static List<String> types(Job job) {
        return job.outbox().stream().map(JobEvent::type).toList();
    }
}
