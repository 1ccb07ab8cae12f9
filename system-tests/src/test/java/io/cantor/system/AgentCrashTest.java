package io.cantor.system;

import io.cantor.model.RetryBackoff;
import io.cantor.scheduler.SchedulerNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An agent process killed with SIGKILL mid-training: its lease runs out and another agent finishes the job. */
class AgentCrashTest {
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
    void aJobWhoseAgentDiesIsRequeuedAndFinishedByAnother() throws Exception {
        SchedulerNode node = harness.scheduler(harness.config("s").heartbeatInterval(Duration.ofMillis(500))
                .retryBackoff(new RetryBackoff(Duration.ofMillis(200), 2, Duration.ofSeconds(2))).build());
        Process doomed = harness.agentProcess("doomed", node.baseUrl());
        try (Api api = new Api(node.baseUrl(), Harness.API_KEY)) {
            String id = api.submit(Harness.sentences(dir.resolve("voice"), "en-us"),
                    "{\"epochs\": 120, \"modelSize\": \"tiny\", \"batchSize\": 8}").bodyAsJsonObject().getString("id");
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                JsonObject p = api.job(id).getJsonObject("progress");
                return p != null && "train".equals(p.getString("stage")) && p.getInteger("epoch") >= 2;
            });
            assertEquals("doomed", api.job(id).getJsonObject("lease").getString("node"));

            doomed.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no goodbye, no fail report

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonObject job = api.job(id);
                assertEquals("QUEUED", job.getString("state"));
                assertTrue(job.getString("reason").startsWith("lease lost: node doomed"), job.encode());
            });
            harness.agent("survivor", node.baseUrl());
            await().atMost(Duration.ofMinutes(2)).until(() -> "SUCCEEDED".equals(api.job(id).getString("state")));
            JsonObject done = api.job(id);
            assertEquals(2, done.getInteger("attempt"));
            assertEquals("survivor", done.getJsonObject("lease").getString("node"));
            assertTrue(done.getString("reason").startsWith("lease lost: node doomed"), "the requeue's reason stays visible");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertEquals("LOST",
                    api.get("/nodes").bodyAsJsonObject().getJsonArray("items").stream()
                            .map(JsonObject.class::cast).filter(n -> n.getString("id").equals("doomed"))
                            .findFirst().orElseThrow().getString("state")));
        }
    }
}
