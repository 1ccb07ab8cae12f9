package io.cantor.scheduler.store.jdbc;

import io.cantor.model.Ids;
import io.cantor.model.Job;
import io.cantor.model.JobSpec;
import io.cantor.model.JobState;
import io.cantor.model.ResourceRequest;
import io.cantor.model.TrainingParams;
import io.cantor.model.util.SettableClock;
import io.cantor.scheduler.store.JobJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Group commit over a real H2 journal: every caller returns only once durable; callers share commits. */
class GroupCommitTest {
    @TempDir
    Path dir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger batches = new AtomicInteger();
    private Database db;
    private JobJournal journal;
    private GroupCommit writes;

    @BeforeEach
    void open() {
        db = Database.open(null, null, null, dir);
        JdbcJobJournal jdbc = new JdbcJobJournal(db);
        // The real journal, counting batches and refusing any batch that holds a job of tenant "bad".
        journal = (JobJournal) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{JobJournal.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("recordAll")) {
                        batches.incrementAndGet();
                        @SuppressWarnings("unchecked") Collection<Job> jobs = (Collection<Job>) args[0];
                        if (jobs.stream().anyMatch(j -> j.tenant().equals("bad"))) {
                            throw new JournalException("disk full", null);
                        }
                    }
                    try {
                        return method.invoke(jdbc, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        writes = new GroupCommit(journal, "test-journal-writer");
    }

    @AfterEach
    void close() {
        writes.close();
        db.close();
    }

    private Job job(String tenant) {
        JobSpec spec = JobSpec.training("ds", TrainingParams.DEFAULTS, 0, ResourceRequest.ANY);
        return Job.submitted(Ids.newId(clock), tenant, spec, clock.instant());
    }

    @Test
    void everyWriterReturnsDurableAndConcurrentWritersShareCommits() throws Exception {
        int threads = 16;
        int perThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Job>>> written = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            written.add(pool.submit(() -> {
                List<Job> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    Job job = job("t");
                    writes.record(job);
                    // Durable on return: a fresh read of the database sees it.
                    assertEquals(job, journal.load(job.id()).orElseThrow());
                    mine.add(job);
                }
                return mine;
            }));
        }
        int total = 0;
        for (Future<List<Job>> f : written) {
            total += f.get().size();
        }
        pool.shutdown();
        assertEquals(threads * perThread, total);
        assertEquals(threads * perThread, journal.countByTenantAndState().get("t").get(JobState.QUEUED));
        assertTrue(batches.get() < total, "writers waiting together share a commit: " + batches.get() + " batches for " + total);
    }

    @Test
    void aFailedCommitFailsItsWritersAndTheNextOneStillWorks() {
        Job bad = job("bad");
        JournalException e = assertThrows(JournalException.class, () -> writes.record(bad));
        assertEquals("disk full", e.getMessage());
        assertTrue(journal.load(bad.id()).isEmpty());

        Job good = job("good");
        writes.record(good);
        assertEquals(good, journal.load(good.id()).orElseThrow());
    }
}
