package io.cantor.scheduler.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.cantor.model.Dataset;
import io.cantor.scheduler.TestCluster;
import io.cantor.scheduler.datasets.DatasetService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Copies on one member follow changes made on another, including "there is no such entry". */
class LocalCopiesTest {
    @TempDir
    Path dir;
    private TestCluster cluster;
    private IMap<String, Dataset> here;
    private IMap<String, Dataset> there;

    @BeforeEach
    void start() {
        cluster = TestCluster.withH2(dir);
        HazelcastInstance a = cluster.addMember();
        HazelcastInstance b = cluster.addMember();
        here = a.getMap(DatasetService.MAP);
        there = b.getMap(DatasetService.MAP);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static Dataset dataset(String id, double seconds) {
        return new Dataset(id, "t", List.of(), seconds, 0, Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static <T> T get(LocalCopies<String, T> copies, String key) throws Exception {
        return copies.get(key).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anotherMembersWritesAndRemovalsReplaceTheCopy() throws Exception {
        LocalCopies<String, Dataset> copies = new LocalCopies<>(here, 100);
        assertNull(get(copies, "d1"), "absent, and remembered as absent");

        there.set("d1", dataset("d1", 1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(dataset("d1", 1), get(copies, "d1")));

        there.set("d1", dataset("d1", 2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(dataset("d1", 2), get(copies, "d1")));

        there.delete("d1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertNull(get(copies, "d1")));
    }

    @Test
    void forgettingTakesEffectAtOnceOnThisMember() throws Exception {
        LocalCopies<String, Dataset> copies = new LocalCopies<>(here, 100);
        assertNull(get(copies, "d2"));
        here.set("d2", dataset("d2", 1));
        copies.forget("d2"); // what a node does after its own change, not waiting for the listener
        assertEquals(dataset("d2", 1), get(copies, "d2"));
    }

    @Test
    void theNumberOfCopiesIsBounded() throws Exception {
        LocalCopies<String, Dataset> copies = new LocalCopies<>(here, 10);
        for (int i = 0; i < 100; i++) {
            assertNull(get(copies, "unknown-" + i));
            assertTrue(copies.size() <= 10, "unknown keys cannot grow the copies without limit");
        }
        there.set("d3", dataset("d3", 1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(dataset("d3", 1), get(copies, "d3")));
    }
}
