package io.cantor.system;

import io.cantor.rvc.RvcOptions;
import io.cantor.rvc.pipeline.RvcModel;
import io.cantor.scheduler.SchedulerNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recordings in, trained model out: a real scheduler node, a real agent, real HTTP, real DJL training. */
class WalkingSkeletonTest {
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
    void aSubmittedJobIsTrainedByAnAgentAndItsModelDownloads() throws Exception {
        SchedulerNode node = harness.scheduler(harness.config("solo").build());
        harness.agent("agent-1", node.baseUrl());
        List<Path> recordings = Harness.sentences(dir.resolve("voice"), "en-us+f3");

        try (Api api = new Api(node.baseUrl(), Harness.API_KEY)) {
            HttpResponse<Buffer> submitted = api.submit(recordings,
                    "{\"epochs\": 12, \"batchSize\": 16, \"modelSize\": \"tiny\", \"learningRate\": 0.001}");
            assertEquals(202, submitted.statusCode(), submitted.bodyAsString());
            String id = submitted.bodyAsJsonObject().getString("id");
            assertEquals("/jobs/" + id, submitted.getHeader("Location"));
            assertEquals("QUEUED", submitted.bodyAsJsonObject().getString("state"));

            List<String> seen = new ArrayList<>();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                String state = api.job(id).getString("state");
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
                    seen.add(state);
                }
                assertEquals("SUCCEEDED", state);
            });
            assertTrue(seen.contains("RUNNING"), "the job was seen running: " + seen);

            JobAssertions.metricsShowLearning(api.job(id));
            HttpResponse<Buffer> model = api.get("/models/" + id);
            assertEquals(200, model.statusCode());
            assertEquals("application/zip", model.getHeader("Content-Type"));
            Path zip = Files.write(dir.resolve("model.zip"), model.body().getBytes());
            try (ZipFile z = new ZipFile(zip.toFile())) {
                for (String entry : List.of("config.json", "generator.params", "speakers.params", "index.ivf",
                        "metrics.json", "loss.csv")) {
                    assertNotNull(z.getEntry(entry), "the RVC artifact holds " + entry);
                }
                JsonObject metrics = new JsonObject(new String(z.getInputStream(z.getEntry("metrics.json")).readAllBytes()));
                assertTrue(metrics.getDouble("final_loss") < metrics.getDouble("first_loss"), metrics.encode());
                for (String held : List.of("val_mel_l1", "mcd_db", "f0_rmse_hz", "f0_corr", "vuv_error")) {
                    assertNotNull(metrics.getDouble(held), "held-out metric " + held + ": " + metrics.encode());
                }
            }
            Path unzipped = dir.resolve("unzipped");
            RvcModel.unzip(zip, unzipped);
            try (RvcModel loaded = RvcModel.readFiles(unzipped, RvcOptions.BUILT_IN, ai.djl.Device.cpu())) {
                assertNotNull(loaded, "the artifact loads as an RVC model");
            }
        }
    }

    @Test
    void theApiRefusesWhatItMust() throws Exception {
        SchedulerNode node = harness.scheduler(harness.config("solo").build());
        node.services().apiKeys().register("other-tenant-key", "other", java.util.Set.of(io.cantor.scheduler.auth.Role.ADMIN));
        List<Path> recordings = Harness.sentences(dir.resolve("voice"), "en-us");
        try (Api api = new Api(node.baseUrl(), Harness.API_KEY); Api other = api.as("other-tenant-key");
             Api anonymous = api.as(null)) {
            String id = api.submit(recordings, null).bodyAsJsonObject().getString("id");

            JobAssertions.problem(api.get("/jobs/0190a0b4-8f7e-7a1c-9d2e-3f4a5b6c7d8e"), 404);
            JobAssertions.problem(api.get("/jobs/not-an-id"), 404);
            JobAssertions.problem(other.get("/jobs/" + id), 404);
            JobAssertions.problem(other.delete("/jobs/" + id), 404);
            JobAssertions.problem(anonymous.get("/jobs/" + id), 401);
            JobAssertions.problem(api.as("wrong-key").get("/jobs/" + id), 401);

            Path text = Files.writeString(dir.resolve("notes.wav"), "these are not the samples you are looking for");
            HttpResponse<Buffer> bad = api.submit(List.of(text), null);
            JsonObject problem = JobAssertions.problem(bad, 400);
            assertTrue(problem.getString("detail").contains("notes.wav"), problem.encode());
            assertEquals(0, other.get("/jobs").bodyAsJsonObject().getJsonArray("items").size(),
                    "the other tenant sees none of our jobs");
            assertEquals(1, api.get("/jobs").bodyAsJsonObject().getJsonArray("items").size(),
                    "the refused upload created no job");
        }
    }
}
