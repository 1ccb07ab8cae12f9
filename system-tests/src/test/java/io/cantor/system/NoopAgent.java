package io.cantor.system;

import io.cantor.model.agent.AgentMessages;
import io.cantor.model.agent.Capabilities;
import io.cantor.model.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A simulated agent speaking the real agent protocol over HTTP: claims, heartbeats once, uploads a
 * tiny model and completes, without training. Fails over between scheduler URLs when one dies.
 * Counts every completion the scheduler accepted, per job, to catch a job run twice.
 */
final class NoopAgent implements Runnable {
    private static final byte[] MODEL = tinyZip();

    private final String nodeId;
    private final List<String> schedulers;
    private final ConcurrentMap<String, AtomicInteger> completions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Consumer<String> onClaim;
    private volatile boolean stopped;
    private int current;

    NoopAgent(String nodeId, List<String> schedulers, ConcurrentMap<String, AtomicInteger> completions,
              Consumer<String> onClaim) {
        this.nodeId = nodeId;
        this.schedulers = schedulers;
        this.completions = completions;
        this.onClaim = onClaim;
    }

    static ConcurrentMap<String, AtomicInteger> newLedger() {
        return new ConcurrentHashMap<>();
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        boolean registered = false;
        while (!stopped) {
            try {
                if (!registered) {
                    post("/agent/v1/register", null, new AgentMessages.RegisterRequest(nodeId,
                            new Capabilities(1, 1L << 30, List.of(), Map.of()), "noop"));
                    registered = true;
                }
                HttpResponse<byte[]> claim = post("/agent/v1/claim", null,
                        new AgentMessages.ClaimRequest(nodeId, List.of(), 1000));
                if (claim.statusCode() == 404) {
                    registered = false;
                    continue;
                }
                if (claim.statusCode() != 200) {
                    continue;
                }
                AgentMessages.Assignment a = Json.read(claim.body(), AgentMessages.Assignment.class);
                onClaim.accept(a.job().id());
                run(a);
            } catch (IOException e) {
                current++; // this scheduler is gone or failing: try the next one
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void run(AgentMessages.Assignment a) throws IOException, InterruptedException {
        String id = a.job().id();
        long token = a.token();
        post("/agent/v1/jobs/" + id + "/heartbeat", token, new AgentMessages.HeartbeatRequest(null, null));
        HttpResponse<byte[]> upload = http.send(request("/agent/v1/jobs/" + id + "/artifact", token)
                .header("Content-Type", "application/zip")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(MODEL)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (upload.statusCode() != 200) {
            return;
        }
        HttpResponse<byte[]> done = post("/agent/v1/jobs/" + id + "/complete", token,
                new AgentMessages.CompleteRequest(Map.of("final_loss", 0.0)));
        if (done.statusCode() == 200) {
            completions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    private HttpResponse<byte[]> post(String path, Long token, Object body) throws IOException, InterruptedException {
        return http.send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(body))).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request(String path, Long token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(schedulers.get(Math.floorMod(current, schedulers.size())) + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + Harness.AGENT_TOKEN);
        if (token != null) {
            b.header(AgentMessages.LEASE_TOKEN_HEADER, Long.toString(token));
        }
        return b;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] tinyZip() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry("metrics.json"));
                zip.write("{}".getBytes());
                zip.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
