package io.cantor.scheduler.store;

import io.cantor.model.Job;
import io.cantor.model.JobSpec;
import io.cantor.model.JobState;
import io.cantor.model.ResourceRequest;
import io.cantor.model.RetryBackoff;
import io.cantor.model.TrainingParams;
import io.cantor.model.Ids;
import io.cantor.model.util.SettableClock;
import io.cantor.scheduler.TestCluster;
import io.cantor.scheduler.store.hazelcast.HazelcastJobStore;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.cantor.scheduler.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stopping every member and starting new ones on the same database restores every job in its
 * state; leases held before the stop then expire and their jobs go back to the queue.
 */
class FullRestartTest {
    static final Duration LEASE = Duration.ofSeconds(20);
    static Vertx vertx;
    static EmbeddedPostgres postgres;
    @TempDir
    Path dir;
    final SettableClock clock = new SettableClock(Instant.parse("2026-05-01T10:00:00Z"));

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close();
        postgres.close();
    }

    @Test
    void everyJobSurvivesAFullRestartOnPostgreSql() {
        String db = "cantor_" + Long.toHexString(System.nanoTime());
        try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String url = postgres.getJdbcUrl("postgres", db);
        restartRoundTrip(() -> new TestCluster(dir, url, "postgres", null));
    }

    @Test
    void everyJobSurvivesAFullRestartOnH2() {
        restartRoundTrip(() -> TestCluster.withH2(dir));
    }

    private void restartRoundTrip(java.util.function.Supplier<TestCluster> clusters) {
        Map<String, Job> before = new HashMap<>();
        try (TestCluster first = clusters.get()) {
            first.addMember();
            first.addMember();
            JobStore store = store(first);
            for (int i = 0; i < 40; i++) {
                Job job = Job.submitted(Ids.newId(clock), "t" + (i % 3),
                        JobSpec.training("d", TrainingParams.DEFAULTS, i % 4, ResourceRequest.ANY), clock.instant());
                job = await(store.enqueue(job));
                if (i % 4 == 1) {
                    job = await(store.claim(job.id(), "agent-a", List.of()));
                } else if (i % 4 == 2) {
                    await(store.claim(job.id(), "agent-a", List.of()));
                    job = await(store.complete(job.id(), 1, JobStoreContract.result()));
                } else if (i % 4 == 3) {
                    job = await(store.cancel(job.id(), "user"));
                }
                before.put(job.id(), job);
            }
        } // every member terminated, the database closed

        try (TestCluster second = clusters.get()) {
            second.addMember();
            JobStore store = store(second);
            for (Job expected : before.values()) {
                assertEquals(expected, await(store.find(expected.id())).orElseThrow(), "restored " + expected.id());
            }
            clock.advance(LEASE);
            List<String> expired = second.journal().expiredLeases(clock.instant(), 100);
            assertEquals(10, expired.size(), "the held leases run out after the restart");
            for (String id : expired) {
                assertEquals(JobState.QUEUED, await(store.requeueExpired(id)).orElseThrow().state());
            }
        }
    }

    private HazelcastJobStore store(TestCluster cluster) {
        return new HazelcastJobStore(vertx, cluster.members().get(0).getMap(HazelcastJobStore.MAP), clock, LEASE,
                RetryBackoff.DEFAULT);
    }
}
