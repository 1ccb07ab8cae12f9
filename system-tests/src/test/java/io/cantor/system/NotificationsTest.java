package io.cantor.system;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.cantor.cli.CantorCli;
import io.cantor.scheduler.SchedulerNode;
import io.cantor.scheduler.config.NotifyConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users hear about their jobs without polling: SSE, signed webhooks with retries, e-mail, logs, and the CLI's watch. */
class NotificationsTest {
    static final NotifyConfig FAST_RETRIES = NotifyConfig.DEFAULTS.allowingPrivateTargets(true)
            .withRetry(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofHours(24));
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
    void eventStreamsResumeWithoutGapsOrRepeatsOnAnotherNode() throws Exception {
        String journal = "jdbc:h2:file:" + dir.resolve("shared") + ";DB_CLOSE_ON_EXIT=FALSE";
        SchedulerNode a = harness.scheduler(harness.config("a").jdbc(journal, null, null).blobDir(dir.resolve("blobs"))
                .notifications(FAST_RETRIES).build());
        int port = a.hazelcast().getCluster().getLocalMember().getAddress().getPort();
        SchedulerNode b = harness.scheduler(harness.config("b").jdbc(journal, null, null).blobDir(dir.resolve("blobs"))
                .notifications(FAST_RETRIES).members(List.of("127.0.0.1:" + port)).hazelcastPort(port + 1).build());
        harness.agent("a1", a.baseUrl());
        try (Api api = new Api(a.baseUrl(), Harness.API_KEY)) {
            String id = api.submit(Harness.sentences(dir.resolve("v"), "en-us"), "{\"epochs\": 6, \"modelSize\": \"tiny\"}")
                    .bodyAsJsonObject().getString("id");
            List<Sse.Event> all = Sse.read(a.baseUrl() + "/jobs/" + id + "/events", Harness.API_KEY, null, 1000);
            assertEquals("job.queued", all.get(0).type());
            assertEquals("job.started", all.get(1).type());
            assertEquals("job.succeeded", all.get(all.size() - 1).type(), "the stream ends with the job");
            assertTrue(all.stream().anyMatch(e -> e.type().equals("job.progress")));
            assertEquals(LongStream.rangeClosed(1, all.size()).boxed().toList(), all.stream().map(Sse.Event::id).toList(),
                    "ids are the job's gapless event sequence");
            assertTrue(all.get(all.size() - 1).data().getJsonObject("data").getJsonObject("metrics").containsKey("final_loss"));

            List<Sse.Event> resumed = Sse.read(b.baseUrl() + "/jobs/" + id + "/events", Harness.API_KEY, 2L, 1000);
            assertEquals(all.subList(2, all.size()).stream().map(Sse.Event::id).toList(),
                    resumed.stream().map(Sse.Event::id).toList(), "node B replays exactly what came after id 2");

            List<Sse.Event> tenant = Sse.read(b.baseUrl() + "/events", Harness.API_KEY, null, all.size());
            assertEquals(all.stream().map(Sse.Event::type).toList(), tenant.stream().map(Sse.Event::type).toList());
            List<Sse.Event> tenantTail = Sse.read(a.baseUrl() + "/events", Harness.API_KEY, tenant.get(3).id(),
                    all.size() - 4);
            assertEquals(tenant.subList(4, tenant.size()), tenantTail, "the tenant stream resumes too");

            String log = api.get("/jobs/" + id + "/logs").bodyAsString();
            assertTrue(log.contains("epoch 6/6"), log);
        }
    }

    @Test
    void aFlakyReceiverGetsEverySignedEventInOrderAfterRetries() throws Exception {
        SchedulerNode node = harness.scheduler(harness.config("s").notifications(FAST_RETRIES).build());
        try (WebhookReceiver tenantHook = new WebhookReceiver(); WebhookReceiver jobHook = new WebhookReceiver();
             Api api = new Api(node.baseUrl(), Harness.API_KEY)) {
            tenantHook.failFirst = 3;
            HttpResponse<Buffer> created = api.postJson("/webhooks", new JsonObject().put("url", tenantHook.url()));
            assertEquals(201, created.statusCode(), created.bodyAsString());
            tenantHook.secret = created.bodyAsJsonObject().getString("secret");
            String hookId = created.bodyAsJsonObject().getString("id");

            HttpResponse<Buffer> submitted = api.submit(List.of(Harness.speak(java.nio.file.Files.createDirectories(
                    dir.resolve("v")), "a.wav", "en-us", "hello hello")), "{\"notify\": {\"webhookUrl\": \"" + jobHook.url() + "\"}}");
            assertEquals(202, submitted.statusCode(), submitted.bodyAsString());
            jobHook.secret = submitted.bodyAsJsonObject().getString("webhookSecret");
            String id = submitted.bodyAsJsonObject().getString("id");
            ConcurrentMap<String, AtomicInteger> done = NoopAgent.newLedger();
            NoopAgent agent = new NoopAgent("noop", List.of(node.baseUrl()), done, x -> { });
            ClusterChaosTest.daemon(agent);
            await().atMost(Duration.ofSeconds(30)).until(() -> done.containsKey(id));
            agent.stop();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertEquals(List.of(1L, 2L, 3L), tenantHook.seqs(id), "queued, started, succeeded");
                assertEquals(List.of(1L, 2L, 3L), jobHook.seqs(id));
            });
            assertEquals(List.of(), tenantHook.badSignatures);
            assertEquals(List.of(), jobHook.badSignatures);
            assertEquals(3, tenantHook.accepted.size(), "nothing accepted twice");
            assertTrue(tenantHook.requests.get() >= 6, "the first three were refused and retried");
            JsonArray log = api.get("/webhooks/" + hookId + "/deliveries").bodyAsJsonObject().getJsonArray("items");
            assertEquals(3, log.stream().map(JsonObject.class::cast).filter(a -> a.getString("outcome").equals("retrying")).count());
            assertEquals(3, log.stream().map(JsonObject.class::cast).filter(a -> a.getString("outcome").equals("delivered")).count());

            JobAssertions.problem(api.postJson("/webhooks", new JsonObject().put("url", "ftp://x")), 400);
            assertEquals(204, api.delete("/webhooks/" + hookId).statusCode());
            JobAssertions.problem(api.get("/webhooks/" + hookId + "/deliveries"), 404);
        }
    }

    @Test
    void deliveriesOwedByANodeThatDiesAreMadeByAnother() throws Exception {
        String journal = "jdbc:h2:file:" + dir.resolve("shared") + ";DB_CLOSE_ON_EXIT=FALSE";
        SchedulerNode a = harness.scheduler(harness.config("a").jdbc(journal, null, null).blobDir(dir.resolve("blobs"))
                .notifications(FAST_RETRIES).build());
        int port = a.hazelcast().getCluster().getLocalMember().getAddress().getPort();
        SchedulerNode b = harness.scheduler(harness.config("b").jdbc(journal, null, null).blobDir(dir.resolve("blobs"))
                .notifications(FAST_RETRIES).members(List.of("127.0.0.1:" + port)).hazelcastPort(port + 1).build());
        try (WebhookReceiver hook = new WebhookReceiver(); Api onA = new Api(a.baseUrl(), Harness.API_KEY)) {
            hook.down = true;
            HttpResponse<Buffer> created = onA.postJson("/webhooks", new JsonObject().put("url", hook.url()));
            hook.secret = created.bodyAsJsonObject().getString("secret");
            String dataset = dataset(onA);
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(onA.postJson("/model/train", new JsonObject().put("datasetId", dataset)).bodyAsJsonObject().getString("id"));
            }
            ConcurrentMap<String, AtomicInteger> done = NoopAgent.newLedger();
            NoopAgent agent = new NoopAgent("noop", List.of(a.baseUrl(), b.baseUrl()), done, x -> { });
            ClusterChaosTest.daemon(agent);
            await().atMost(Duration.ofSeconds(30)).until(() -> done.keySet().containsAll(ids));
            agent.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> hook.requests.get() >= 6);

            // One synchronous backup protects against losing one member only once the cluster has
            // replicated every partition; a member killed before that loses data by design.
            await().atMost(Duration.ofSeconds(30)).until(() -> a.hazelcast().getPartitionService().isClusterSafe());
            // Kill whichever member owns the first job's deliveries; the other must make them.
            SchedulerNode owner = a.hazelcast().getPartitionService().getPartition(ids.get(0)).getOwner().localMember() ? a : b;
            SchedulerNode survivor = owner == a ? b : a;
            owner.crash();
            hook.down = false;
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (String id : ids) {
                    assertEquals(List.of(1L, 2L, 3L), hook.seqs(id), "job " + id);
                }
            });
            assertEquals(List.of(), hook.badSignatures);
            assertTrue(survivor.hazelcast().getLifecycleService().isRunning());
        }
    }

    @Test
    void eMailArrivesWithTheJobLinkAndItsMetrics() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        smtp.start();
        try {
            SchedulerNode node = harness.scheduler(harness.config("s").notifications(FAST_RETRIES
                    .withSmtp("127.0.0.1", smtp.getSmtp().getPort(), "cantor@example.test", null, null, false)).build());
            harness.agent("a1", node.baseUrl());
            try (Api api = new Api(node.baseUrl(), Harness.API_KEY)) {
                String id = api.submit(Harness.sentences(dir.resolve("v"), "en-us"),
                        "{\"epochs\": 3, \"modelSize\": \"tiny\", \"notify\": {\"email\": \"singer@example.test\"}}")
                        .bodyAsJsonObject().getString("id");
                await().atMost(Duration.ofSeconds(90)).until(() -> smtp.getReceivedMessages().length >= 2);
                MimeMessage[] mails = smtp.getReceivedMessages();
                assertEquals(2, mails.length);
                assertEquals("singer@example.test", mails[0].getAllRecipients()[0].toString());
                assertTrue(mails[0].getSubject().contains("started"), mails[0].getSubject());
                assertTrue(mails[1].getSubject().contains("succeeded"), mails[1].getSubject());
                String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(mails[1]);
                assertTrue(body.contains("/jobs/" + id), body);
                assertTrue(body.contains("final_loss"), body);
                assertTrue(body.contains("/models/" + id), body);
            }
        } finally {
            smtp.stop();
        }
    }

    @Test
    void theCliWatchesAJobToItsEnd() throws Exception {
        SchedulerNode node = harness.scheduler(harness.config("s").build());
        harness.agent("a1", node.baseUrl());
        try (Api api = new Api(node.baseUrl(), Harness.API_KEY)) {
            String id = api.submit(Harness.sentences(dir.resolve("v"), "en-us"), "{\"epochs\": 4, \"modelSize\": \"tiny\"}")
                    .bodyAsJsonObject().getString("id");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = CantorCli.run(new String[]{"watch", id, "--url", node.baseUrl(), "--api-key", Harness.API_KEY},
                    new PrintStream(out), System.err);
            String text = out.toString();
            assertEquals(0, code, text);
            assertTrue(text.contains("started"), text);
            assertTrue(text.contains("progress     train ["), text);
            assertTrue(text.contains("succeeded"), text);
            assertTrue(text.contains("final_loss"), text);
            assertEquals(2, CantorCli.run(new String[]{"watch", "0190a0b4-8f7e-7a1c-9d2e-3f4a5b6c7d8e", "--url", node.baseUrl(),
                    "--api-key", Harness.API_KEY}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
        }
    }

    private String dataset(Api api) throws Exception {
        var form = io.vertx.ext.web.multipart.MultipartForm.create().binaryFileUpload("audio", "a.wav",
                Harness.speak(java.nio.file.Files.createDirectories(dir.resolve("d")), "a.wav", "en-us",
                        "hello, this recording is long enough").toString(), "audio/wav");
        var created = Api.await(api.request(io.vertx.core.http.HttpMethod.POST, "/datasets").sendMultipartForm(form));
        assertEquals(201, created.statusCode(), created.bodyAsString());
        return created.bodyAsJsonObject().getString("id");
    }
}
