package io.cantor.system;

import io.cantor.cli.CantorCli;
import io.cantor.model.audio.AudioHeader;
import io.cantor.scheduler.SchedulerNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /models/{id}/convert}: a trained model converts one short recording on an agent, as a
 * CONVERT job at priority 50, and the WAV comes back from {@code GET /models/{conversionId}}.
 */
class ConversionTest {
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
    void aTrainedModelConvertsARecordingIntoAWavAndBadRequestsLeaveNothingBehind() throws Exception {
        SchedulerNode node = harness.scheduler(harness.config("solo").build());
        harness.agent("agent-1", node.baseUrl());
        try (Api api = new Api(node.baseUrl(), Harness.API_KEY)) {
            String model = api.submit(Harness.sentences(dir.resolve("voice"), "en-us+f3"),
                            "{\"epochs\": 3, \"batchSize\": 8, \"modelSize\": \"tiny\", \"sampleRate\": 32000}")
                    .bodyAsJsonObject().getString("id");
            await().atMost(Duration.ofMinutes(3)).until(() -> "SUCCEEDED".equals(api.job(model).getString("state")));

            // a single short phrase: far below a training dataset's minimum, fine for a conversion
            Path phrase = Harness.speak(dir, "phrase.wav", "en-us", "Hello there, how are you?");
            AudioHeader in = AudioHeader.read(Files.readAllBytes(phrase), Files.size(phrase));

            HttpResponse<Buffer> queued = convert(api, model, List.of(phrase), "{\"transpose\": 3, \"indexRate\": 0.5}");
            assertEquals(202, queued.statusCode(), queued.bodyAsString());
            JsonObject job = queued.bodyAsJsonObject();
            String id = job.getString("id");
            assertEquals("CONVERT", job.getString("kind"));
            assertEquals(50, job.getInteger("priority"));
            assertEquals(model, job.getJsonObject("conversion").getString("modelJobId"));
            assertEquals("phrase.wav", job.getJsonObject("conversion").getString("input"));
            assertEquals(3.0, job.getJsonObject("conversion").getDouble("transpose"));
            assertEquals(0.5, job.getJsonObject("conversion").getDouble("indexRate"));

            await().atMost(Duration.ofMinutes(2)).until(() -> {
                String state = api.job(id).getString("state");
                assertFalse(List.of("FAILED", "CANCELLED").contains(state), api.job(id).encode());
                return "SUCCEEDED".equals(state);
            });
            JsonObject done = api.job(id);
            assertEquals("/models/" + id, done.getJsonObject("links").getString("audio"));
            JsonObject metrics = done.getJsonObject("result").getJsonObject("metrics");
            assertEquals(3.0, metrics.getDouble("transpose_semitones"));
            assertEquals(in.seconds(), metrics.getDouble("input_seconds"), 0.01);

            HttpResponse<Buffer> wav = api.get("/models/" + id);
            assertEquals(200, wav.statusCode(), wav.bodyAsString());
            assertEquals("audio/wav", wav.getHeader("Content-Type"));
            AudioHeader out = AudioHeader.read(wav.body().getBytes(), wav.body().length());
            assertEquals(32000, out.sampleRate(), "converted at the model's sample rate");
            assertEquals(in.seconds(), out.seconds(), 0.05, "as long as the input");
            assertTrue(rms(wav.body().getBytes()) > 100, "the converted WAV is not silence");

            // The CLI does the same in one command and saves the WAV beside the input.
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int code = CantorCli.run(new String[]{"convert", model, phrase.toString(), "--transpose", "-2",
                    "--url", node.baseUrl(), "--api-key", Harness.API_KEY}, new PrintStream(printed), System.err);
            assertEquals(0, code, printed.toString());
            Path saved = dir.resolve("phrase-converted.wav");
            assertTrue(Files.size(saved) > 44, printed.toString());
            assertEquals(32000, AudioHeader.read(Files.readAllBytes(saved), Files.size(saved)).sampleRate());

            // Bad requests: each a 4xx naming the problem; no job and no blob is left of them.
            // the model, the conversion and the CLI's conversion (the list reads the journal: let it catch up)
            await().atMost(Duration.ofSeconds(10)).until(() -> jobCount(api) == 3);
            List<Path> blobsBefore = blobs(node);
            assertProblem(convert(api, model, List.of(phrase, phrase), null), 400, "file");
            assertProblem(convert(api, model, List.of(phrase), "{\"transpose\": 99}"), 400, "params.transpose");
            assertProblem(convert(api, model, List.of(phrase), "{\"indexRate\": \"high\"}"), 400, "params.indexRate");
            assertProblem(convert(api, model, List.of(phrase), "{\"pitch\": 1}"), 400, "params.pitch");
            Path notAudio = Files.writeString(dir.resolve("notes.wav"), "these are not samples");
            assertProblem(convert(api, model, List.of(notAudio), null), 400, "files[0]");
            assertProblem(convert(api, id, List.of(phrase), null), 409, null); // a conversion has no model
            assertProblem(convert(api, "0190a0b4-8f7e-7a1c-9d2e-3f4a5b6c7d8e", List.of(phrase), null), 404, null);
            try (Api anonymous = api.as(null)) {
                assertProblem(convert(anonymous, model, List.of(phrase), null), 401, null);
            }
            assertEquals(3, jobCount(api));
            assertEquals(blobsBefore, blobs(node));

            // Deleting the conversion's output removes its input recording too.
            assertEquals(204, api.delete("/models/" + id).statusCode());
            assertFalse(Files.exists(node.config().blobDir().resolve("models").resolve(id)), "input and output are gone");
            assertEquals(404, api.get("/models/" + id).statusCode());
        }
    }

    private static HttpResponse<Buffer> convert(Api api, String model, List<Path> files, String params) {
        return api.postAudio("/models/" + model + "/convert", files, params);
    }

    private static void assertProblem(HttpResponse<Buffer> response, int status, String field) {
        assertEquals(status, response.statusCode(), response.bodyAsString());
        assertTrue(response.getHeader("Content-Type").startsWith("application/problem+json"), response.getHeader("Content-Type"));
        if (field != null) {
            assertTrue(response.bodyAsJsonObject().getJsonArray("errors").stream()
                    .map(JsonObject.class::cast).anyMatch(e -> e.getString("field").startsWith(field)), response.bodyAsString());
        }
    }

    private static long jobCount(Api api) {
        return api.get("/jobs?limit=500").bodyAsJsonObject().getJsonArray("items").size();
    }

    private static List<Path> blobs(SchedulerNode node) throws Exception {
        try (Stream<Path> walk = Files.walk(node.config().blobDir())) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Root mean square of the 16-bit samples after the 44-byte header. */
    private static double rms(byte[] wav) {
        double sum = 0;
        int n = 0;
        for (int i = 44; i + 1 < wav.length; i += 2) {
            short s = (short) ((wav[i] & 0xff) | (wav[i + 1] << 8));
            sum += (double) s * s;
            n++;
        }
        return Math.sqrt(sum / Math.max(1, n));
    }
}
