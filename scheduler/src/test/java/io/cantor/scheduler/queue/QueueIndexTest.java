package io.cantor.scheduler.queue;

import io.cantor.model.Job;
import io.cantor.model.JobSpec;
import io.cantor.model.ResourceRequest;
import io.cantor.model.RetryBackoff;
import io.cantor.model.TrainingParams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueIndexTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final long NOW = T0.plusSeconds(3600).toEpochMilli();
    static final Predicate<ResourceRequest> ANYTHING = r -> true;
    static final Predicate<ResourceRequest> CPU_ONLY = r -> r.gpus() == 0;
    static final ResourceRequest ONE_GPU = new ResourceRequest(1, 0, Map.of());

    private int seq;

    Job job(String tenant, int priority, ResourceRequest resources) {
        seq++;
        return Job.submitted(String.format("job-%05d", seq), tenant,
                JobSpec.training("d", TrainingParams.DEFAULTS, priority, resources), T0.plusMillis(seq));
    }

    @Test
    void withinATenantHigherPriorityFirstThenOldestFirst() {
        QueueIndex index = new QueueIndex(t -> 1);
        Job low = job("a", 0, ResourceRequest.ANY);
        Job high = job("a", 5, ResourceRequest.ANY);
        Job lowLater = job("a", 0, ResourceRequest.ANY);
        for (Job j : List.of(lowLater, low, high)) {
            assertTrue(index.apply(j, NOW));
        }
        assertEquals(high.id(), index.poll(ANYTHING, NOW).jobId());
        assertEquals(low.id(), index.poll(ANYTHING, NOW).jobId());
        assertEquals(lowLater.id(), index.poll(ANYTHING, NOW).jobId());
        assertNull(index.poll(ANYTHING, NOW));
    }

    @Test
    void aTenantWithOneJobIsNotStarvedByATenantWithTenThousand() {
        QueueIndex index = new QueueIndex(t -> 1);
        for (int i = 0; i < 10_000; i++) {
            index.apply(job("big", 0, ResourceRequest.ANY), NOW);
        }
        for (int i = 0; i < 50; i++) {
            index.poll(ANYTHING, NOW); // the big tenant has been served for a while
        }
        Job small = job("small", 0, ResourceRequest.ANY);
        index.apply(small, NOW);
        List<String> next = List.of(index.poll(ANYTHING, NOW).tenant(), index.poll(ANYTHING, NOW).tenant());
        assertTrue(next.contains("small"), "the newcomer is served within two claims: " + next);
    }

    @Test
    void weightsSetTheShares() {
        QueueIndex index = new QueueIndex(t -> t.equals("gold") ? 3 : 1);
        for (int i = 0; i < 400; i++) {
            index.apply(job("gold", 0, ResourceRequest.ANY), NOW);
            index.apply(job("bronze", 0, ResourceRequest.ANY), NOW);
        }
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            served.merge(index.poll(ANYTHING, NOW).tenant(), 1, Integer::sum);
        }
        assertEquals(300, served.get("gold"), 2);
        assertEquals(100, served.get("bronze"), 2);
    }

    @Test
    void anIdleTenantBanksNoCredit() {
        QueueIndex index = new QueueIndex(t -> 1);
        index.apply(job("a", 0, ResourceRequest.ANY), NOW);
        index.poll(ANYTHING, NOW);
        for (int i = 0; i < 100; i++) {
            index.apply(job("b", 0, ResourceRequest.ANY), NOW);
        }
        for (int i = 0; i < 50; i++) {
            index.poll(ANYTHING, NOW);
        }
        for (int i = 0; i < 10; i++) {
            index.apply(job("a", 0, ResourceRequest.ANY), NOW);
        }
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            order.add(index.poll(ANYTHING, NOW).tenant());
        }
        long fromA = order.stream().filter("a"::equals).count();
        assertTrue(fromA >= 4 && fromA <= 6, "a returns to an equal share, not a burst: " + order);
    }

    @Test
    void onlyJobsThatFitTheAgentAreHandedToIt() {
        QueueIndex index = new QueueIndex(t -> 1);
        Job gpu = job("a", 10, ONE_GPU);
        Job cpu = job("a", 0, ResourceRequest.ANY);
        index.apply(gpu, NOW);
        index.apply(cpu, NOW);
        assertEquals(cpu.id(), index.poll(CPU_ONLY, NOW).jobId(), "a CPU agent skips the higher-priority GPU job");
        assertNull(index.poll(CPU_ONLY, NOW));
        assertEquals(gpu.id(), index.poll(ANYTHING, NOW).jobId());
    }

    @Test
    void aBackedOffJobWaitsUntilItIsDue() {
        QueueIndex index = new QueueIndex(t -> 1);
        Job requeued = job("a", 0, ResourceRequest.ANY)
                .assign("n", List.of(), T0, Duration.ofSeconds(1))
                .fail(1, "oom", true, T0, new RetryBackoff(Duration.ofSeconds(10), 2, Duration.ofMinutes(1)));
        long due = T0.plusSeconds(10).toEpochMilli();
        assertFalse(index.apply(requeued, due - 1));
        assertEquals(due, index.nextDueMillis().getAsLong());
        assertNull(index.poll(ANYTHING, due - 1));
        assertEquals(requeued.id(), index.poll(ANYTHING, due).jobId());
        assertTrue(index.nextDueMillis().isEmpty());
    }

    @Test
    void staleEventsAreIgnoredAndNonQueuedValuesRemove() {
        QueueIndex index = new QueueIndex(t -> 1);
        Job queued = job("a", 0, ResourceRequest.ANY);
        Job assigned = queued.assign("n", List.of(), T0, Duration.ofSeconds(20));
        index.apply(queued, NOW);
        index.apply(assigned, NOW);
        assertEquals(0, index.size());
        index.apply(queued, NOW); // a late event of the older value
        assertEquals(1, index.size(), "an unknown job's old value cannot be told apart; the claim's CAS refuses it");
        index.apply(assigned, NOW);
        assertEquals(0, index.size());
        index.apply(assigned, NOW);
        index.apply(queued, NOW);
        Job cancelled = queued.cancel("x", T0);
        index.apply(cancelled, NOW);
        assertEquals(0, index.size());
    }

    @Test
    void depthsAreCounted() {
        QueueIndex index = new QueueIndex(t -> 1);
        Job gpu = job("a", 1, ONE_GPU);
        index.apply(gpu, NOW);
        index.apply(job("b", 1, ResourceRequest.ANY), NOW);
        index.apply(job("b", 0, ResourceRequest.ANY), NOW);
        assertEquals(Map.of(0, 1L, 1, 2L), index.depthByPriority());
        assertEquals(Map.of(ONE_GPU, 1L, ResourceRequest.ANY, 2L), index.depthByShape());

        index.remove(gpu.id());
        assertEquals(Map.of(0, 1L, 1, 1L), index.depthByPriority());
        assertEquals(Map.of(ResourceRequest.ANY, 2L), index.depthByShape());
        index.poll(shape -> true, NOW);
        index.poll(shape -> true, NOW);
        assertEquals(Map.of(), index.depthByPriority(), "counts leave with the jobs");
        assertEquals(Map.of(), index.depthByShape());
    }
}
