package io.cantor.system;

import io.cantor.model.JobEvent;
import io.cantor.model.RetryBackoff;
import io.cantor.scheduler.SchedulerNode;
import io.cantor.scheduler.events.JobHistory;
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

/**
 * An agent process killed with SIGKILL mid-training: its lease runs out and another agent finishes
 * the job, resuming from the last checkpoint the first one stored.
 */
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
    void aJobWhoseAgentDiesIsRequeuedAndFinishedByAnotherFromItsLastCheckpoint() throws Exception {
        SchedulerNode node = harness.scheduler(harness.config("s").heartbeatInterval(Duration.ofMillis(500))
                .retryBackoff(new RetryBackoff(Duration.ofMillis(200), 2, Duration.ofSeconds(2))).build());
        Process doomed = harness.agentProcess("doomed", node.baseUrl());
        try (Api api = new Api(node.baseUrl(), Harness.API_KEY)) {
            String id = api.submit(Harness.sentences(dir.resolve("voice"), "en-us"),
                    "{\"epochs\": 40, \"checkpointEvery\": 2, \"modelSize\": \"tiny\", \"batchSize\": 8}")
                    .bodyAsJsonObject().getString("id");
            // Kill it once a checkpoint is stored and training has moved past it.
            int[] checkpointed = {0};
            await().atMost(Duration.ofMinutes(3)).until(() -> {
                checkpointed[0] = lastCheckpointEpoch(node, id);
                JsonObject p = api.job(id).getJsonObject("progress");
                return checkpointed[0] >= 2 && p != null && "train".equals(p.getString("stage"))
                        && p.getInteger("epoch") > checkpointed[0];
            });
            assertEquals("doomed", api.job(id).getJsonObject("lease").getString("node"));

            doomed.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no goodbye, no fail report
            int resumeEpoch = lastCheckpointEpoch(node, id);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonObject job = api.job(id);
                assertEquals("QUEUED", job.getString("state"));
                assertTrue(job.getString("reason").startsWith("lease lost: node doomed"), job.encode());
            });
            harness.agent("survivor", node.baseUrl());
            await().atMost(Duration.ofMinutes(4)).until(() -> "SUCCEEDED".equals(api.job(id).getString("state")));
            JsonObject done = api.job(id);
            assertEquals(2, done.getInteger("attempt"));
            assertEquals("survivor", done.getJsonObject("lease").getString("node"));
            assertTrue(done.getString("reason").startsWith("lease lost: node doomed"), "the requeue's reason stays visible");

            // The second attempt started from the checkpoint's epoch, not from zero: its first training
            // progress is past that epoch, and the log says where it resumed.
            List<JobEvent> events = history(node, id);
            int requeued = indexOf(events, JobEvent.REQUEUED);
            JobEvent firstTrainAfter = events.subList(requeued, events.size()).stream()
                    .filter(e -> e.progress() != null && "train".equals(e.progress().stage()))
                    .findFirst().orElseThrow();
            assertTrue(firstTrainAfter.progress().epoch() >= resumeEpoch,
                    "attempt 2 began training at epoch " + firstTrainAfter.progress().epoch() + ", checkpoint was " + resumeEpoch);
            String log = api.get("/jobs/" + id + "/logs").bodyAsString();
            assertTrue(log.contains("resumed from the checkpoint of epoch " + resumeEpoch), log);
            assertEquals(40.0, done.getJsonObject("result").getJsonObject("metrics").getDouble("epochs"));

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertEquals("LOST",
                    api.get("/nodes").bodyAsJsonObject().getJsonArray("items").stream()
                            .map(JsonObject.class::cast).filter(n -> n.getString("id").equals("doomed"))
                            .findFirst().orElseThrow().getString("state")));
        }
    }

    private static List<JobEvent> history(SchedulerNode node, String id) throws Exception {
        return Api.await(node.services().events().history(id)).map(JobHistory::events).orElse(List.of());
    }

    private static int lastCheckpointEpoch(SchedulerNode node, String id) throws Exception {
        return history(node, id).stream().filter(e -> JobEvent.CHECKPOINTED.equals(e.type()))
                .mapToInt(JobEvent::checkpointEpoch).max().orElse(0);
    }

    private static int indexOf(List<JobEvent> events, String type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.equals(events.get(i).type())) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " in " + events);
    }
}
