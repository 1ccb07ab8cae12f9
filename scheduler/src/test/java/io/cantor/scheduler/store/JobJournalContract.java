package io.cantor.scheduler.store;

import io.cantor.model.Job;
import io.cantor.model.JobSpec;
import io.cantor.model.JobState;
import io.cantor.model.ResourceRequest;
import io.cantor.model.TrainingParams;
import io.cantor.model.Ids;
import io.cantor.model.util.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link JobJournal} adapter must do. Each test uses fresh tenants, so adapters may share a database. */
public abstract class JobJournalContract {
    final SettableClock clock = new SettableClock(Instant.parse("2026-05-01T10:00:00Z"));

    protected abstract JobJournal journal();

    Job job(String tenant) {
        clock.advance(Duration.ofMillis(3));
        return Job.submitted(Ids.newId(clock), tenant,
                JobSpec.training("d", TrainingParams.DEFAULTS, 0, ResourceRequest.ANY), clock.instant());
    }

    static String tenant() {
        return "t-" + java.util.UUID.randomUUID();
    }

    @Test
    void theLatestValueOfAJobIsWhatLoads() {
        Job job = job(tenant());
        journal().record(job);
        Job assigned = job.assign("n1", List.of(0), clock.instant(), Duration.ofSeconds(20));
        journal().record(assigned);
        assertEquals(assigned, journal().load(job.id()).orElseThrow());
        assertEquals(Map.of(job.id(), assigned), journal().loadAll(List.of(job.id(), "missing")));
        journal().erase(job.id());
        assertTrue(journal().load(job.id()).isEmpty());
    }

    @Test
    void pagesAreNewestFirstAndPerTenant() {
        String tenant = tenant();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            jobs.add(job(tenant));
        }
        journal().recordAll(jobs);
        journal().record(job(tenant()));
        List<Job> first = journal().page(tenant, null, null, 3);
        assertEquals(List.of(jobs.get(6).id(), jobs.get(5).id(), jobs.get(4).id()), first.stream().map(Job::id).toList());
        List<Job> second = journal().page(tenant, null, first.get(2).id(), 3);
        assertEquals(List.of(jobs.get(3).id(), jobs.get(2).id(), jobs.get(1).id()), second.stream().map(Job::id).toList());
        assertEquals(1, journal().page(tenant, null, second.get(2).id(), 3).size());
        journal().record(jobs.get(0).cancel("x", clock.instant()));
        assertEquals(List.of(jobs.get(0).id()), journal().page(tenant, JobState.CANCELLED, null, 10).stream().map(Job::id).toList());
    }

    @Test
    void expiredLeasesAndUnfinishedJobsAreFound() {
        String tenant = tenant();
        Job queued = job(tenant);
        Job assigned = job(tenant).assign("n1", List.of(), clock.instant(), Duration.ofSeconds(20));
        Job done = job(tenant).cancel("x", clock.instant());
        journal().recordAll(List.of(queued, assigned, done));
        assertTrue(journal().unfinishedJobIds().containsAll(Set.of(queued.id(), assigned.id())));
        assertTrue(!journal().unfinishedJobIds().contains(done.id()));
        assertTrue(journal().queuedJobs().stream().anyMatch(j -> j.id().equals(queued.id())));
        assertTrue(!journal().expiredLeases(clock.instant().plusSeconds(19), 100).contains(assigned.id()));
        assertTrue(journal().expiredLeases(clock.instant().plusSeconds(20), 100).contains(assigned.id()));
        assertEquals(1L, journal().countByTenantAndState().get(tenant).get(JobState.CANCELLED));
    }

    @Test
    void aLateWriteOfAnOlderVersionDoesNotReplaceANewerOne() {
        Job queued = job(tenant());
        Job assigned = queued.assign("n1", List.of(0), clock.instant(), Duration.ofSeconds(20));
        assertTrue(assigned.version() > queued.version());
        journal().record(queued);
        journal().record(assigned);
        journal().record(queued); // e.g. from a member that died mid-write, committed after the new owner's
        assertEquals(assigned, journal().load(queued.id()).orElseThrow());
        journal().recordAll(List.of(assigned, queued)); // in one batch too
        assertEquals(assigned, journal().load(queued.id()).orElseThrow());
        assertEquals(List.of(assigned.id()), journal().expiredLeases(clock.instant().plusSeconds(20), 100).stream()
                .filter(assigned.id()::equals).toList(), "the lease reaper still sees the lease");
    }

    @Test
    void versionsChangedSinceListRecentChangesOldestFirst() {
        Job before = job(tenant());
        journal().record(before);
        clock.advance(Duration.ofSeconds(10));
        Instant from = clock.instant();
        Job first = job(tenant());
        Job second = job(tenant());
        journal().recordAll(List.of(second, first));
        Job firstAssigned = first.assign("n1", List.of(), clock.instant().plusMillis(5), Duration.ofSeconds(20));
        journal().record(firstAssigned);
        Map<String, Long> changed = journal().versionsChangedSince(from, 1000);
        assertTrue(!changed.containsKey(before.id()), "changed before the window");
        assertEquals(firstAssigned.version(), changed.get(first.id()));
        assertEquals(second.version(), changed.get(second.id()));
        List<String> order = changed.keySet().stream().filter(id -> id.equals(first.id()) || id.equals(second.id())).toList();
        assertEquals(List.of(second.id(), first.id()), order, "first was changed last");
    }
}
