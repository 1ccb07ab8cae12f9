package io.cantor.scheduler.store;

import io.cantor.model.RetryBackoff;
import io.cantor.scheduler.TestCluster;
import io.cantor.scheduler.store.hazelcast.HazelcastJobStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

/** The job-store contract against the Hazelcast adapter: on one member, and across a three-member cluster. */
class HazelcastJobStoreTest {
    static final RetryBackoff BACKOFF = new RetryBackoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(5));
    static Vertx vertx;
    @TempDir
    static Path dir;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        vertx.close();
    }

    @Nested
    class OneMember extends JobStoreContract {
        static TestCluster cluster;
        HazelcastJobStore store;

        @BeforeAll
        static void start() {
            cluster = TestCluster.withH2(dir.resolve("one"));
            cluster.addMember();
        }

        @AfterAll
        static void stop() {
            cluster.close();
        }

        @Override
        protected JobStore store() {
            if (store == null) {
                store = new HazelcastJobStore(vertx, cluster.members().get(0).getMap(HazelcastJobStore.MAP), clock, LEASE, BACKOFF);
            }
            return store;
        }
    }

    @Nested
    class ThreeMembers extends JobStoreContract {
        static TestCluster cluster;
        HazelcastJobStore store;

        @BeforeAll
        static void start() {
            cluster = TestCluster.withH2(dir.resolve("three"));
            cluster.addMember();
            cluster.addMember();
            cluster.addMember();
        }

        @AfterAll
        static void stop() {
            cluster.close();
        }

        /** Calls go through the last member; the jobs' partitions are spread over all three. */
        @Override
        protected JobStore store() {
            if (store == null) {
                store = new HazelcastJobStore(vertx, cluster.members().get(2).getMap(HazelcastJobStore.MAP), clock, LEASE, BACKOFF);
            }
            return store;
        }
    }
}
