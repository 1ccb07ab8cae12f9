package io.cantor.agent.scheduler;

import io.cantor.model.agent.AgentMessages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Downloads against a real HTTP server: a body whose checksum differs from the header is refused. */
class SchedulerClientDownloadTest {
    private static final byte[] BODY = new byte[3 * 1024 * 1024 + 17]; // many chunks
    private Vertx vertx;
    private SchedulerClient client;
    @TempDir
    Path dir;

    static {
        new Random(7).nextBytes(BODY);
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            String sha = req.path().equals("/right") ? sha256(BODY) : sha256(new byte[]{1});
            req.response().putHeader("Content-Length", Integer.toString(BODY.length))
                    .putHeader(AgentMessages.SHA256_HEADER, sha)
                    .end(io.vertx.core.buffer.Buffer.buffer(BODY));
        });
        int port = await(server.listen(0)).actualPort();
        client = new SchedulerClient(vertx, URI.create("http://127.0.0.1:" + port), "token", null);
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void keepsADownloadThatMatchesItsChecksum() throws Exception {
        Path target = dir.resolve("right.zip");
        await(client.download("/right", 1, target));
        assertArrayEquals(BODY, Files.readAllBytes(target));
    }

    @Test
    void refusesADownloadThatDoesNotMatchItsChecksum() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> await(client.download("/wrong", 1, dir.resolve("wrong.zip"))));
        assertTrue(e.getCause().getMessage().contains("does not match"), e.getCause().getMessage());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
