package io.cantor.system;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's promises, run as written from the repository root on the default port 8080 and
 * data folder: the quick start trains a model on the samples, and the curl walkthrough works.
 * Anything already in {@code data/} or {@code model.zip} is moved aside and put back.
 */
class ReadmeTest {
    static final Path DATA = Standalone.ROOT.resolve("data");
    static final Path MODEL = Standalone.ROOT.resolve("model.zip");
    static final Path CONVERTED = Standalone.ROOT.resolve("converted.wav");
    @TempDir
    Path dir;

    @BeforeEach
    void moveAside() throws IOException {
        if (Files.exists(DATA)) {
            Files.move(DATA, dir.resolve("data.saved"));
        }
        if (Files.exists(MODEL)) {
            Files.move(MODEL, dir.resolve("model.saved"));
        }
        if (Files.exists(CONVERTED)) {
            Files.move(CONVERTED, dir.resolve("converted.saved"));
        }
    }

    @AfterEach
    void putBack() throws IOException {
        deleteTree(DATA);
        Files.deleteIfExists(MODEL);
        if (Files.exists(dir.resolve("data.saved"))) {
            Files.move(dir.resolve("data.saved"), DATA);
        }
        if (Files.exists(dir.resolve("model.saved"))) {
            Files.move(dir.resolve("model.saved"), MODEL);
        }
        Files.deleteIfExists(CONVERTED);
        if (Files.exists(dir.resolve("converted.saved"))) {
            Files.move(dir.resolve("converted.saved"), CONVERTED);
        }
    }

    @Test
    void theQuickStartTrainsAModelOnTheSamples() throws Exception {
        Path log = dir.resolve("quickstart.log");
        try (Standalone quickstart = new Standalone(List.of("quickstart"), 8080, DATA, Map.of(), log)) {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Files.readString(log).contains("Done: the trained model is in"));
            String out = Files.readString(log);
            assertTrue(out.contains("SUCCEEDED"), out);
            assertZipModel(MODEL);
        }
    }

    @Test
    void theCurlWalkthroughWorksAsWritten() throws Exception {
        String readme = Files.readString(Standalone.ROOT.resolve("README.md"));
        int at = readme.indexOf("The same job by hand with `curl`:");
        int start = readme.indexOf("```bash\n", at) + 8;
        String script = readme.substring(start, readme.indexOf("```", start));
        assertTrue(script.contains("curl"), script);
        try (Standalone cantor = new Standalone(List.of("standalone"), 8080, DATA, Map.of(), dir.resolve("standalone.log"))) {
            Process walkthrough = new ProcessBuilder("bash", "-e", "-c", script).directory(Standalone.ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("walkthrough.log").toFile()).start();
            assertTrue(walkthrough.waitFor(5, TimeUnit.MINUTES), "the walkthrough finishes");
            String out = Files.readString(dir.resolve("walkthrough.log"));
            assertEquals(0, walkthrough.exitValue(), out);
            assertTrue(out.contains("event: job.succeeded"), out);
            assertZipModel(MODEL);
            byte[] wav = Files.readAllBytes(CONVERTED);
            assertEquals("RIFF", new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII), "converted.wav is a WAV");
            assertTrue(wav.length > 10_000, "converted.wav holds audio: " + wav.length + " bytes");
        }
    }

    private static void assertZipModel(Path zip) throws IOException {
        assertTrue(Files.size(zip) > 1000, "model.zip has content");
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertNotNull(z.getEntry("metrics.json"));
            assertNotNull(z.getEntry("config.json"));
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

}
