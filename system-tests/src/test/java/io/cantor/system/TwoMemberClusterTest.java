package io.cantor.system;

import io.cantor.scheduler.SchedulerNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two scheduler members form one cluster: what one accepts, the other serves and dispatches. */
class TwoMemberClusterTest {
    @TempDir
    Path dir;
    Harness harness;

    @BeforeEach
    void start() {
        harness = new Harness(dir);
    }

    @AfterEach
    void stop() {
        harness.close();
        assertEquals(List.of(), harness.blockedEventLoops, "no event loop may block");
    }

    @Test
    void aJobSubmittedOnOneMemberRunsOnAnAgentThatOnlyKnowsTheOther() throws Exception {
        // A cluster shares its journal database and its blob volume.
        String journal = "jdbc:h2:file:" + dir.resolve("shared-journal") + ";DB_CLOSE_ON_EXIT=FALSE";
        Path blobs = dir.resolve("shared-blobs");
        SchedulerNode a = harness.scheduler(harness.config("a").jdbc(journal, null, null).blobDir(blobs).build());
        int portA = a.hazelcast().getCluster().getLocalMember().getAddress().getPort();
        SchedulerNode b = harness.scheduler(harness.config("b").jdbc(journal, null, null).blobDir(blobs)
                .members(List.of("127.0.0.1:" + portA)).hazelcastPort(portA + 1).build());
        assertEquals(2, a.hazelcast().getCluster().getMembers().size());

        harness.agent("only-knows-b", b.baseUrl());
        try (Api onA = new Api(a.baseUrl(), Harness.API_KEY); Api onB = new Api(b.baseUrl(), Harness.API_KEY)) {
            String id = onA.submit(Harness.sentences(dir.resolve("voice"), "en-gb"),
                    "{\"epochs\": 3, \"modelSize\": \"tiny\", \"batchSize\": 8}").bodyAsJsonObject().getString("id");
            assertEquals(id, onB.job(id).getString("id"), "member B serves a job that member A accepted");

            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertEquals("SUCCEEDED", onB.job(id).getString("state")));
            JsonObject seenOnA = onA.job(id);
            assertEquals("SUCCEEDED", seenOnA.getString("state"));
            assertEquals("only-knows-b", seenOnA.getJsonObject("lease").getString("node"));
            assertEquals(200, onA.get("/models/" + id).statusCode(), "either member hands out the model");
            assertEquals(1, onB.get("/jobs").bodyAsJsonObject().getJsonArray("items").size());
        }
    }
}
