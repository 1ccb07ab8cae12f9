package io.cantor.system;

import io.cantor.cli.CantorCli;
import io.cantor.scheduler.SchedulerNode;
import io.cantor.scheduler.api.ApiRouter;
import io.cantor.scheduler.api.Contract;
import io.cantor.scheduler.config.Limits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cantor's security promises, each checked against a running node: see docs/security.md. */
class SecurityTest {
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
    void deletingADatasetAndAModelLeavesNothingOfThemOnDisk() throws Exception {
        SchedulerNode node = harness.scheduler(harness.config("s").build());
        harness.agent("a1", node.baseUrl());
        List<Path> recordings = Harness.sentences(dir.resolve("voice"), "en-us");
        Set<String> fingerprints = new TreeSet<>();
        for (Path r : recordings) {
            fingerprints.add(sha256(Files.readAllBytes(r)));
        }
        try (Api api = new Api(node.baseUrl(), Harness.API_KEY)) {
            JsonObject job = api.submit(recordings, "{\"epochs\": 2, \"modelSize\": \"tiny\"}").bodyAsJsonObject();
            String id = job.getString("id");
            String dataset = job.getString("datasetId");
            await().atMost(Duration.ofMinutes(2)).until(() -> "SUCCEEDED".equals(api.job(id).getString("state")));
            assertTrue(mentions(dir, Set.of(id, dataset), fingerprints), "before: the data is there");

            assertEquals(204, api.delete("/models/" + id).statusCode());
            assertEquals(204, api.delete("/datasets/" + dataset).statusCode());
            JobAssertions.problem(api.get("/models/" + id), 404);
            JobAssertions.problem(api.get("/datasets/" + dataset), 404);
            assertFalse(mentions(dir, Set.of(id, dataset), fingerprints),
                    "no file named after the job or dataset, and no file with a recording's bytes, in the scheduler's or the agent's folders");
            assertEquals("SUCCEEDED", api.job(id).getString("state"), "the job's record and metrics stay");
        }
    }

    @Test
    void recordingsAndModelsGoAwayAfterTheRetentionPeriod() throws Exception {
        SchedulerNode node = harness.scheduler(harness.config("s").limits(Limits.DEFAULTS.withAudio(1, 7200)
                .withSubmits(1000, 1000, 1000).withRetention(Duration.ofSeconds(3))).build());
        try (Api api = new Api(node.baseUrl(), Harness.API_KEY)) {
            var form = MultipartForm.create().binaryFileUpload("audio", "a.wav",
                    Standalone.ROOT.resolve("samples/sample-1.wav").toString(), "audio/wav");
            String dataset = Api.await(api.request(io.vertx.core.http.HttpMethod.POST, "/datasets").sendMultipartForm(form))
                    .bodyAsJsonObject().getString("id");
            assertEquals(200, api.get("/datasets/" + dataset).statusCode());
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertEquals(404, api.get("/datasets/" + dataset).statusCode()));
            assertFalse(mentions(dir, Set.of(dataset), Set.of(sha256(Files.readAllBytes(Standalone.ROOT.resolve("samples/sample-1.wav"))))));
        }
    }

    @Test
    void uploadsOutsideTheLimitsAreRefusedNamingTheFieldAndLeaveNothing() throws Exception {
        SchedulerNode node = harness.scheduler(harness.config("s").maxUploadBytes(600_000)
                .limits(new Limits(200_000, 3, 4, 12, 8000, 48000, 1000, 1000, 1000, null)).build());
        Path sample = Standalone.ROOT.resolve("samples/sample-0.wav"); // 4.4 s, 16 kHz, 142 KB
        Path big = dir.resolve("big.wav");
        convert(sample, big, "-r", "48000", "-b", "24");                 // 4.4 s, 48 kHz 24-bit: 640 KB > 200 KB
        Path fast = dir.resolve("96k.wav");
        convert(Standalone.ROOT.resolve("samples/sample-2.wav"), fast, "-r", "96000", "trim", "0", "1");
        Path shortClip = dir.resolve("short.wav");
        convert(sample, shortClip, "trim", "0", "1");
        try (Api api = new Api(node.baseUrl(), Harness.API_KEY)) {
            field(api.submit(List.of(shortClip, shortClip), null), "files");                       // 2 s < 4 s
            field(api.submit(List.of(sample, sample, sample), null), "files");                     // 13 s > 12 s
            field(api.submit(List.of(sample, sample, sample, sample), null), "files");             // 4 files > 3
            field(api.submit(List.of(fast, sample), null), "files[0] (96k.wav)");                  // 96 kHz
            field(api.submit(List.of(sample), "{\"epochs\": 0, \"sampleRate\": 44100}"), "params.epochs");
            JobAssertions.problem(api.submit(List.of(big), null), 413);                           // whole body too large
            assertEquals(0, api.get("/jobs").bodyAsJsonObject().getJsonArray("items").size(), "no job was created");
            try (Stream<Path> blobs = Files.walk(node.config().blobDir())) {
                assertEquals(List.of(), blobs.filter(Files::isRegularFile).toList(), "no blob was left");
            }
        }
    }

    @Test
    void aTenantBeyondItsRateOrQueueCapIsToldToWait() throws Exception {
        SchedulerNode node = harness.scheduler(harness.config("s").limits(Limits.DEFAULTS.withAudio(1, 7200)
                .withSubmits(0.5, 2, 3)).build());
        try (Api api = new Api(node.baseUrl(), Harness.API_KEY)) {
            String dataset = upload(api);
            JsonObject body = new JsonObject().put("datasetId", dataset);
            assertEquals(202, api.postJson("/model/train", body).statusCode());
            assertEquals(202, api.postJson("/model/train", body).statusCode());
            HttpResponse<Buffer> limited = api.postJson("/model/train", body);
            JobAssertions.problem(limited, 429);
            assertTrue(Integer.parseInt(limited.getHeader("Retry-After")) >= 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> api.postJson("/model/train", body).statusCode() == 202);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                HttpResponse<Buffer> r = api.postJson("/model/train", body);
                return r.statusCode() == 429 && r.bodyAsJsonObject().getString("type").endsWith("queue-full");
            });
            assertEquals(3, api.get("/jobs").bodyAsJsonObject().getJsonArray("items").size(), "the cap held at 3 queued jobs");
        }
    }

    @Test
    void keysAreCreatedAndRevokedByAdminsAndEveryActionIsAudited() throws Exception {
        String journal = "jdbc:h2:file:" + dir.resolve("shared") + ";DB_CLOSE_ON_EXIT=FALSE";
        SchedulerNode a = harness.scheduler(harness.config("a").jdbc(journal, null, null).build());
        int port = a.hazelcast().getCluster().getLocalMember().getAddress().getPort();
        SchedulerNode b = harness.scheduler(harness.config("b").jdbc(journal, null, null)
                .members(List.of("127.0.0.1:" + port)).hazelcastPort(port + 1).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, CantorCli.run(new String[]{"keys", "create", "--tenant", "acme", "--roles", "submit,read",
                "--url", a.baseUrl(), "--api-key", Harness.API_KEY}, new PrintStream(out), System.err));
        String secret = out.toString().trim();
        assertTrue(secret.startsWith("ck_"), secret);
        try (Api admin = new Api(a.baseUrl(), Harness.API_KEY); Api acmeOnB = new Api(b.baseUrl(), secret)) {
            assertEquals(200, acmeOnB.get("/jobs").statusCode(), "the new key works on every node");
            JsonArray keys = admin.get("/admin/keys?tenant=acme").bodyAsJsonObject().getJsonArray("items");
            assertEquals(1, keys.size());
            assertFalse(keys.encode().contains(secret), "secrets are never listed");
            String keyId = keys.getJsonObject(0).getString("id");

            assertEquals(200, admin.delete("/admin/keys/" + keyId).statusCode());
            JobAssertions.problem(acmeOnB.get("/jobs"), 401);
            JobAssertions.problem(acmeOnB.get("/admin/keys"), 401);
            admin.postJson("/agent/v1/register", new JsonObject()); // not an agent: refused, not audited
            new Api(a.baseUrl(), Harness.AGENT_TOKEN).postJson("/agent/v1/register", new JsonObject().put("nodeId", "n9")
                    .put("capabilities", new JsonObject().put("cpus", 1).put("memoryBytes", 1)));
            assertEquals(200, admin.postJson("/nodes/n9/drain", new JsonObject()).statusCode());

            List<String> actions = new ArrayList<>();
            admin.get("/admin/audit").bodyAsJsonObject().getJsonArray("items")
                    .forEach(e -> actions.add(((JsonObject) e).getString("action")));
            assertEquals(List.of("node.draining", "key.revoked", "key.created"), actions);
        }
    }

    @Test
    void theApiServesTlsWithAPemCertificateAndAgentsTrustIt() throws Exception {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost").redirectErrorStream(true).start();
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0,
                new String(openssl.getInputStream().readAllBytes()));
        SchedulerNode node = harness.scheduler(harness.config("tls").tls(cert.toString(), key.toString()).build());
        String https = node.baseUrl().replace("http://", "https://");
        harness.agent("tls-agent", https, cert.toString());
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            WebClient client = WebClient.create(vertx, new WebClientOptions().setSsl(true)
                    .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(cert.toString())));
            var form = MultipartForm.create();
            for (Path r : Harness.sentences(dir.resolve("v"), "en-us")) {
                form.binaryFileUpload("audio", r.getFileName().toString(), r.toString(), "audio/wav");
            }
            form.attribute("params", "{\"epochs\": 2, \"modelSize\": \"tiny\"}");
            var port = node.config().httpPort();
            String id = Api.await(client.post(port, "127.0.0.1", "/model/train").bearerTokenAuthentication(Harness.API_KEY)
                    .sendMultipartForm(form)).bodyAsJsonObject().getString("id");
            await().atMost(Duration.ofMinutes(2)).until(() -> "SUCCEEDED".equals(Api.await(client.get(port, "127.0.0.1", "/jobs/" + id)
                    .bearerTokenAuthentication(Harness.API_KEY).send()).bodyAsJsonObject().getString("state")));
            WebClient plain = WebClient.create(vertx);
            assertTrue(plain.get(port, "127.0.0.1", "/health/live").send().toCompletionStage().toCompletableFuture()
                    .handle((r, e) -> e != null || r.statusCode() != 200).get(10, TimeUnit.SECONDS), "plain HTTP is not served");
        } finally {
            vertx.close();
        }
    }

    @Test
    void everyRouteTheServerAnswersIsInTheContractAndTheContractIsServed() throws Exception {
        SchedulerNode node = harness.scheduler(harness.config("s").build());
        Contract contract = Api.await(Contract.load(node.vertx()));
        Router router = ApiRouter.create(node.services(), contract);
        Set<String> routed = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() != null && route.methods() != null) {
                route.methods().forEach(m -> routed.add(m.name() + " " + route.getPath().replaceAll(":([a-z]+)", "{$1}")));
            }
        }
        Set<String> documented = new TreeSet<>();
        contract.openApi().operations().forEach(op -> documented.add(op.getHttpMethod().name() + " " + op.getOpenAPIPath()));
        assertEquals(documented, routed);
        try (Api api = new Api(node.baseUrl(), null)) {
            HttpResponse<Buffer> served = api.get("/openapi.yaml");
            assertEquals(200, served.statusCode());
            assertTrue(served.bodyAsString().startsWith("openapi: 3.1.0"));
        }
    }

    static void field(HttpResponse<Buffer> response, String field) {
        JsonObject problem = JobAssertions.problem(response, 400);
        assertNotNull(problem.getJsonArray("errors"), problem.encode());
        assertTrue(problem.getJsonArray("errors").stream().anyMatch(e -> ((JsonObject) e).getString("field").equals(field)),
                "names " + field + ": " + problem.encode());
    }

    static String upload(Api api) {
        var form = MultipartForm.create().binaryFileUpload("audio", "a.wav",
                Standalone.ROOT.resolve("samples/sample-0.wav").toString(), "audio/wav");
        return Api.await(api.request(io.vertx.core.http.HttpMethod.POST, "/datasets").sendMultipartForm(form))
                .bodyAsJsonObject().getString("id");
    }

    static void convert(Path in, Path out, String... effects) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sox", in.toString()));
        int split = 0;
        while (split < effects.length && effects[split].startsWith("-")) {
            split += 2;
        }
        cmd.addAll(List.of(effects).subList(0, split));
        cmd.add(out.toString());
        cmd.addAll(List.of(effects).subList(split, effects.length));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream().readAllBytes()));
    }

    /** Whether any file under {@code root} is named after one of the ids or holds one of the byte fingerprints. */
    static boolean mentions(Path root, Set<String> ids, Set<String> fingerprints) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.startsWith(root.resolve("voice"))) {
                    continue; // the test's own copies
                }
                String path = root.relativize(f).toString();
                if (ids.stream().anyMatch(path::contains) || fingerprints.contains(sha256(Files.readAllBytes(f)))) {
                    return true;
                }
            }
        }
        return false;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
