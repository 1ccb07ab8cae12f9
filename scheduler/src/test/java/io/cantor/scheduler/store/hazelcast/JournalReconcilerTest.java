package io.cantor.scheduler.store.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.cantor.model.Ids;
import io.cantor.model.Job;
import io.cantor.model.JobResult;
import io.cantor.model.JobSpec;
import io.cantor.model.JobState;
import io.cantor.model.ResourceRequest;
import io.cantor.model.RetryBackoff;
import io.cantor.model.TrainingParams;
import io.cantor.model.util.SettableClock;
import io.cantor.scheduler.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.cantor.scheduler.TestCluster.await;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real members on one journal. The journal is given a job's next version that never reached
 * memory, as when a member dies after its write-through commit and before its backup; when a member
 * leaves, the survivor's memory must catch up, or the job would stay RUNNING for good.
 */
class JournalReconcilerTest {
    static final RetryBackoff BACKOFF = new RetryBackoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(5));
    final SettableClock clock = new SettableClock(Instant.parse("2026-06-01T08:00:00Z"));
    @TempDir
    Path dir;
    Vertx vertx;

    @BeforeEach
    void vertx() {
        vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    }

    @AfterEach
    void close() {
        await(vertx.close());
    }

    @Test
    void jobsBehindTheJournalCatchUpWhenAMemberLeaves() {
        try (TestCluster cluster = TestCluster.withH2(dir)) {
            HazelcastInstance survivor = cluster.addMember();
            HazelcastInstance leaving = cluster.addMember();
            await().atMost(Duration.ofSeconds(60)).until(() -> survivor.getPartitionService().isClusterSafe());
            IMap<String, Job> jobs = survivor.getMap(HazelcastJobStore.MAP);
            HazelcastJobStore store = new HazelcastJobStore(vertx, jobs, clock, Duration.ofSeconds(20), BACKOFF);

            Job assigned = await(store.claim(await(store.enqueue(submitted())).id(), "n1", List.of()));
            await(store.heartbeat(assigned.id(), assigned.lease().token(), null));
            Job running = await(store.find(assigned.id())).orElseThrow();
            Job succeeded = running.succeed(running.lease().token(), new JobResult("models/x", 1, "00", Map.of()),
                    clock.instant());
            cluster.journal().record(succeeded); // committed, but its backup never went out
            Job inStep = await(store.enqueue(submitted()));
            Job older = running.heartbeat(running.lease().token(), null, clock.instant(), Duration.ofSeconds(20));
            assertEquals(JobState.RUNNING, jobs.get(running.id()).state());

            await(vertx.deployVerticle(new JournalReconciler(survivor, jobs, cluster.journal(), clock, Duration.ofMillis(50))));
            leaving.getLifecycleService().terminate();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Job now = jobs.get(running.id());
                assertEquals(JobState.SUCCEEDED, now.state());
                assertEquals(succeeded.version(), now.version());
            });
            assertEquals(inStep, jobs.get(inStep.id()), "a job already in step is left alone");
            assertEquals(succeeded, cluster.journal().load(running.id()).orElseThrow());

            // the compare-and-set: an older value is never adopted
            assertTrue(!jobs.executeOnKey(running.id(), new JobProcessors.AdoptNewer(older)));
            assertEquals(succeeded.version(), jobs.get(running.id()).version());
        }
    }

    private Job submitted() {
        clock.advance(Duration.ofMillis(5));
        return Job.submitted(Ids.newId(clock), "t1", JobSpec.training("d", TrainingParams.DEFAULTS, 0, ResourceRequest.ANY),
                clock.instant());
    }
}
