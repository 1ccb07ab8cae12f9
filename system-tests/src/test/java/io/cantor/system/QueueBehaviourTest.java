package io.cantor.system;

import io.cantor.agent.Agent;
import io.cantor.model.RetryBackoff;
import io.cantor.scheduler.SchedulerNode;
import io.cantor.scheduler.auth.Role;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue's promises, end to end over HTTP: cancel, drain, fair share, idempotency, unplaceable jobs. */
class QueueBehaviourTest {
    static final Duration H = Duration.ofMillis(500);
    @TempDir
    Path dir;
    Harness harness;
    SchedulerNode node;
    Api api;

    @BeforeEach
    void start() {
        harness = new Harness(dir);
        node = harness.scheduler(harness.config("q").heartbeatInterval(H)
                .retryBackoff(new RetryBackoff(Duration.ofMillis(100), 2, Duration.ofSeconds(1))).build());
        api = new Api(node.baseUrl(), Harness.API_KEY);
    }

    @AfterEach
    void stop() {
        api.close();
        harness.close();
        assertEquals(List.of(), harness.blockedEventLoops, "no event loop may block");
    }

    String submitLong(String tenantKey) throws Exception {
        HttpResponse<Buffer> r = api.as(tenantKey).submit(Harness.sentences(dir.resolve("v-" + System.nanoTime()), "en-us"),
                "{\"epochs\": 2000, \"modelSize\": \"tiny\", \"batchSize\": 8}");
        assertEquals(202, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getString("id");
    }

    @Test
    void aCancelledRunningJobStopsOnItsAgentWithinTwoHeartbeats() throws Exception {
        Agent agent = harness.agent("a1", node.baseUrl());
        String id = submitLong(Harness.API_KEY);
        await().atMost(Duration.ofSeconds(60)).until(() -> "train".equals(api.job(id).getJsonObject("progress", new JsonObject()).getString("stage")));

        HttpResponse<Buffer> cancelled = api.delete("/jobs/" + id);
        assertEquals(200, cancelled.statusCode());
        assertEquals("CANCELLED", cancelled.bodyAsJsonObject().getString("state"));
        long asked = System.nanoTime();
        await().atMost(H.multipliedBy(2).plusMillis(1000)).pollInterval(Duration.ofMillis(20)).until(() -> agent.runningJobs() == 0);
        System.out.printf("agent stopped %d ms after the cancel%n", (System.nanoTime() - asked) / 1_000_000);
        assertEquals("CANCELLED", api.job(id).getString("state"), "a late report changes nothing");

        String next = api.submit(Harness.sentences(dir.resolve("next"), "en-us"), "{\"epochs\": 2, \"modelSize\": \"tiny\"}")
                .bodyAsJsonObject().getString("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(api.job(next).getString("state")));
    }

    @Test
    void aDrainedNodeFinishesItsJobAndClaimsNothingNew() throws Exception {
        Agent agent = harness.agent("drain-me", node.baseUrl());
        String running = api.submit(Harness.sentences(dir.resolve("a"), "en-us"), "{\"epochs\": 60, \"modelSize\": \"tiny\"}")
                .bodyAsJsonObject().getString("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(api.job(running).getString("state")));
        HttpResponse<Buffer> drained = api.postJson("/nodes/drain-me/drain", new JsonObject());
        assertEquals(200, drained.statusCode(), drained.bodyAsString());
        assertEquals("DRAINING", drained.bodyAsJsonObject().getString("state"));
        String waiting = api.submit(Harness.sentences(dir.resolve("b"), "en-us"), "{\"epochs\": 2, \"modelSize\": \"tiny\"}")
                .bodyAsJsonObject().getString("id");

        await().atMost(Duration.ofSeconds(90)).until(() -> "SUCCEEDED".equals(api.job(running).getString("state")));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> "QUEUED".equals(api.job(waiting).getString("state")) && agent.runningJobs() == 0);
        assertEquals("DRAINING", api.get("/nodes").bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("state"));

        assertEquals(200, api.postJson("/nodes/drain-me/uncordon", new JsonObject()).statusCode());
        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(api.job(waiting).getString("state")));
        JobAssertions.problem(api.postJson("/nodes/nobody/cordon", new JsonObject()), 404);
        JobAssertions.problem(api.as(null).postJson("/nodes/drain-me/cordon", new JsonObject()), 401);
    }

    @Test
    void aTenantWithOneJobIsServedBeforeATenantsBacklogDrains() throws Exception {
        node.services().apiKeys().register("key-busy", "busy", Set.of(Role.ADMIN));
        node.services().apiKeys().register("key-quiet", "quiet", Set.of(Role.ADMIN));
        String dataset = dataset("key-busy");
        String quietDataset = dataset("key-quiet");
        List<String> busy = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            busy.add(json("key-busy", dataset));
        }
        String quiet = json("key-quiet", quietDataset);

        List<String> order = Collections.synchronizedList(new ArrayList<>());
        ConcurrentMap<String, AtomicInteger> done = new ConcurrentHashMap<>();
        NoopAgent agent = new NoopAgent("noop", List.of(node.baseUrl()), done, order::add);
        Thread t = ClusterChaosTest.daemon(agent);
        await().atMost(Duration.ofSeconds(60)).until(() -> done.size() == 31);
        agent.stop();
        t.join(5000);
        int position = order.indexOf(quiet);
        assertTrue(position >= 0 && position <= 2, "the quiet tenant's job is among the first claims: position " + position);
        assertEquals(busy, order.stream().filter(busy::contains).toList(), "within a tenant, oldest first");
    }

    @Test
    void theSameIdempotencyKeyYieldsTheSameJob() throws Exception {
        String dataset = dataset(Harness.API_KEY);
        JsonObject body = new JsonObject().put("datasetId", dataset).put("params", new JsonObject().put("epochs", 1));
        HttpResponse<Buffer> first = Api.await(api.request(io.vertx.core.http.HttpMethod.POST, "/model/train")
                .putHeader("Idempotency-Key", "k-1").sendJsonObject(body));
        HttpResponse<Buffer> again = Api.await(api.request(io.vertx.core.http.HttpMethod.POST, "/model/train")
                .putHeader("Idempotency-Key", "k-1").sendJsonObject(body));
        HttpResponse<Buffer> other = Api.await(api.request(io.vertx.core.http.HttpMethod.POST, "/model/train")
                .putHeader("Idempotency-Key", "k-2").sendJsonObject(body));
        assertEquals(202, first.statusCode());
        assertEquals(202, again.statusCode());
        assertEquals("true", again.getHeader("Idempotent-Replayed"));
        assertEquals(first.bodyAsJsonObject().getString("id"), again.bodyAsJsonObject().getString("id"));
        assertNotEquals(first.bodyAsJsonObject().getString("id"), other.bodyAsJsonObject().getString("id"));
        assertEquals(2, api.get("/jobs").bodyAsJsonObject().getJsonArray("items").size());
    }

    @Test
    void aJobNoAgentCouldEverRunSaysSo() throws Exception {
        harness.agent("cpu-only", node.baseUrl());
        String dataset = dataset(Harness.API_KEY);
        JsonObject body = new JsonObject().put("datasetId", dataset)
                .put("params", new JsonObject().put("resources", new JsonObject().put("gpus", 2).put("minGpuMemoryMb", 40000)));
        String id = api.postJson("/model/train", body).bodyAsJsonObject().getString("id");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonObject job = api.job(id);
            assertEquals("QUEUED", job.getString("state"));
            assertTrue(String.valueOf(job.getString("reason")).startsWith("unschedulable: no registered agent offers 2 GPU(s)"),
                    job.encode());
        });
    }

    private String dataset(String key) throws Exception {
        var form = io.vertx.ext.web.multipart.MultipartForm.create().binaryFileUpload("audio", "a.wav",
                Harness.speak(java.nio.file.Files.createDirectories(dir.resolve("d-" + key)), "a.wav", "en-us", "hello there").toString(),
                "audio/wav");
        var r = Api.await(api.as(key).request(io.vertx.core.http.HttpMethod.POST, "/datasets").sendMultipartForm(form));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getString("id");
    }

    private String json(String key, String dataset) {
        HttpResponse<Buffer> r = api.as(key).postJson("/model/train", new JsonObject().put("datasetId", dataset));
        assertEquals(202, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getString("id");
    }
}
