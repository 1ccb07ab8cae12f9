package io.cantor.system;

import io.cantor.model.JobState;
import io.cantor.scheduler.SchedulerNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed requests thrown at the public and the agent API (bad JSON, wrong types, huge values,
 * truncated multipart, wrong content types, corrupted and zero-length audio, path-traversal names):
 * never a 5xx, and nothing stored changes (jobs, datasets, blobs).
 */
class MalformedRequestProperties {
    static Path dir;
    static Harness harness;
    static SchedulerNode node;
    static String datasetId;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final byte[] WAV = wav();

    record Attempt(String method, String path, String contentType, byte[] body, String key) {
        @Override
        public String toString() {
            String shown = new String(body, 0, Math.min(body.length, 160), StandardCharsets.ISO_8859_1);
            return method + " " + path + " [" + contentType + ", " + body.length + " bytes, key " + key + "] " + shown;
        }
    }

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("cantor-props");
        harness = new Harness(dir);
        node = harness.scheduler(harness.config("p").build());
        try (Api api = new Api(node.baseUrl(), Harness.API_KEY)) {
            datasetId = SecurityTest.upload(api);
        }
    }

    @AfterContainer
    static void stop() {
        harness.close();
        assertEquals(List.of(), harness.blockedEventLoops);
    }

    @Property(tries = 300)
    void malformedRequestsNeverBreakAnythingNorChangeState(@ForAll("attempts") Attempt attempt) throws Exception {
        Snapshot before = snapshot();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.baseUrl() + attempt.path()))
                .timeout(Duration.ofSeconds(20))
                .method(attempt.method(), HttpRequest.BodyPublishers.ofByteArray(attempt.body()));
        if (attempt.contentType() != null) {
            request.header("Content-Type", attempt.contentType());
        }
        if (attempt.key() != null) {
            request.header("Authorization", "Bearer " + attempt.key());
        }
        request.header("Cantor-Lease-Token", "1");
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());

        } catch (java.io.IOException e) {
            // The server may close a connection on garbage framing; it must never leave one hanging.
            assertTrue(!(e instanceof java.net.http.HttpTimeoutException), attempt + " got no answer");
            return;
        }
        assertTrue(response.statusCode() < 500, attempt + " -> " + response.statusCode() + " " + response.body());
        if (!attempt.method().equals("GET")) {
            assertTrue(response.statusCode() >= 400, attempt + " was accepted: " + response.body());
        }
        assertEquals(before, snapshot(), attempt + " changed stored state");
    }

    @Provide
    Arbitrary<Attempt> attempts() {
        Arbitrary<String> key = Arbitraries.of(Harness.API_KEY, Harness.AGENT_TOKEN, "nonsense", null);
        Arbitrary<Attempt> json = Combinators.combine(jsonRoutes(), badJson(), jsonContentTypes(), key)
                .as((route, body, type, k) -> new Attempt(route[0], route[1], type, body.getBytes(StandardCharsets.UTF_8), k));
        Arbitrary<Attempt> uploads = Combinators.combine(Arbitraries.of("/model/train", "/datasets"), badMultipart(), key)
                .as((path, body, k) -> new Attempt("POST", path, "multipart/form-data; boundary=XyZ", body, k));
        Arbitrary<Attempt> raw = Combinators.combine(Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH"), paths(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300), Arbitraries.of("application/zip",
                        "text/plain", "application/octet-stream", "application/x-www-form-urlencoded", "image/png"), key)
                .as((m, p, b, t, k) -> new Attempt(m, p, t, b, k));
        return Arbitraries.oneOf(json, uploads, raw);
    }

    Arbitrary<String[]> jsonRoutes() {
        return Arbitraries.of(new String[]{"POST", "/model/train"}, new String[]{"POST", "/webhooks"},
                new String[]{"POST", "/admin/keys"}, new String[]{"POST", "/agent/v1/register"},
                new String[]{"POST", "/agent/v1/claim"}, new String[]{"POST", "/agent/v1/jobs/" + fakeId() + "/heartbeat"},
                new String[]{"POST", "/agent/v1/jobs/" + fakeId() + "/complete"},
                new String[]{"POST", "/agent/v1/jobs/" + fakeId() + "/fail"});
    }

    Arbitrary<String> jsonContentTypes() {
        return Arbitraries.of("application/json", "application/json; charset=utf-8", "text/json", null);
    }

    /** JSON that is broken, of the wrong shape, or with values out of range: never acceptable. */
    Arbitrary<String> badJson() {
        Arbitrary<String> truncated = Arbitraries.of("{\"datasetId\": \"" + datasetId + "\", \"params\": {\"epochs\": 3")
                .map(s -> s.substring(0, Math.max(1, s.length() - 1)));
        Arbitrary<String> wrongTypes = Arbitraries.of(
                "{\"datasetId\": 12}", "{\"datasetId\": \"" + datasetId + "\", \"params\": {\"epochs\": \"many\"}}",
                "{\"datasetId\": \"" + datasetId + "\", \"params\": {\"epochs\": 1e400}}",
                "{\"datasetId\": \"" + datasetId + "\", \"params\": {\"epochs\": 99999999999999999999}}",
                "{\"datasetId\": \"" + datasetId + "\", \"params\": {\"batchSize\": -1}}",
                "{\"datasetId\": \"" + datasetId + "\", \"params\": {\"sampleRate\": 44100}}",
                "{\"datasetId\": \"" + datasetId + "\", \"params\": {\"resources\": {\"gpus\": 1000}}}",
                "{\"datasetId\": \"" + datasetId + "\", \"params\": {\"notify\": {\"webhookUrl\": \"file:///etc/passwd\"}}}",
                "{\"datasetId\": \"" + datasetId + "\", \"params\": {\"modelSize\": null, \"priority\": 1000}}",
                "{\"datasetId\": \"" + datasetId + "\", \"extra\": true}",
                "{\"datasetId\": \"../../../etc/passwd\"}", "[]", "null", "\"text\"", "{}", "",
                "{\"url\": 5}", "{\"url\": \"http://169.254.169.254/latest\", \"events\": [\"job.exploded\"]}",
                "{\"tenant\": \"../x\", \"roles\": [\"god\"]}", "{\"tenant\": \"t\", \"roles\": []}",
                "{\"nodeId\": \"../../x\", \"capabilities\": {}}", "{\"nodeId\": \"n\", \"capabilities\": {\"cpus\": -5}}",
                "{\"nodeId\": \"n\", \"freeGpus\": [\"a\"], \"waitMs\": -1}", "{\"retryable\": \"yes\"}",
                "{\"metrics\": {\"x\": \"NaN\"}}", "{\"progress\": 7}");
        Arbitrary<String> nested = Arbitraries.integers().between(50, 3000).map(n -> "[".repeat(n) + "]".repeat(n));
        Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(200);
        return Arbitraries.oneOf(truncated, wrongTypes, nested, noise);
    }

    /** Multipart bodies that are cut short, hold no audio, corrupted audio or traversal names. */
    Arbitrary<byte[]> badMultipart() {
        Arbitrary<String> names = Arbitraries.of("../../../../tmp/pwned.wav", "..\\..\\evil.wav", "/etc/passwd", "a\u0000b.wav",
                "ok.wav", "", "x".repeat(5000));
        Arbitrary<byte[]> audio = Arbitraries.of(new byte[0], java.util.Arrays.copyOf(WAV, 30),
                corrupt(WAV), "RIFF....WAVEfmt garbage".getBytes(), "fLaC\u0000\u0000".getBytes());
        Arbitrary<byte[]> part = Combinators.combine(names, audio).as((name, bytes) -> multipart(name, bytes));
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(10, 400)
                .map(n -> java.util.Arrays.copyOf(multipart("ok.wav", WAV), n));
        return Arbitraries.oneOf(part, truncated);
    }

    Arbitrary<String> paths() {
        return Arbitraries.of("/jobs/" + fakeId(), "/jobs/..%2F..%2Fetc%2Fpasswd", "/datasets/" + "9".repeat(5000),
                "/models/%00", "/agent/v1/jobs/" + fakeId() + "/artifact", "/agent/v1/jobs/" + fakeId() + "/checkpoint",
                "/agent/v1/jobs/x/files/-1", "/nodes/%2e%2e/drain", "/webhooks/../admin/keys", "/model/train",
                "/admin/keys/not-an-id", "/jobs?limit=99999999999&state=BOGUS&cursor=zzz", "/events?lastEventId=-5");
    }

    static byte[] multipart(String filename, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--XyZ\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"" + filename
                + "\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n--XyZ--\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static byte[] corrupt(byte[] wav) {
        byte[] copy = wav.clone();
        for (int i = 20; i < 36; i++) {
            copy[i] = (byte) 0xFF; // the format chunk: channels, rate, block size
        }
        return copy;
    }

    static String fakeId() {
        return "0190a0b4-8f7e-7a1c-9d2e-3f4a5b6c7d8e";
    }

    static byte[] wav() {
        try {
            return Files.readAllBytes(Standalone.ROOT.resolve("samples/sample-0.wav"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    record Snapshot(Map<String, Map<JobState, Long>> jobs, long blobFiles, List<String> datasets, long keys) {
    }

    static Snapshot snapshot() throws Exception {
        long blobs;
        try (Stream<Path> files = Files.walk(node.config().blobDir())) {
            blobs = files.filter(Files::isRegularFile).count();
        }
        return new Snapshot(node.services().journal().countByTenantAndState(), blobs,
                datasetIds(),
                Api.await(node.services().apiKeys().list(null)).size());
    }

    static List<String> datasetIds() {
        return node.hazelcast().<String, Object>getMap(io.cantor.scheduler.datasets.DatasetService.MAP).keySet().stream().sorted().toList();
    }
}
