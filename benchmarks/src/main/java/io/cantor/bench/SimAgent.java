package io.cantor.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A simulated agent speaking the real agent protocol ({@code /agent/v1/*}) over its own keep-alive
 * connection: register, long-poll {@code claim}, then for each assignment {@code PUT artifact} (a
 * tiny zip) and {@code POST complete}, without training. Runs on the load client's event loop;
 * {@link #kill()} drops its connection mid-flight, as a crashed agent would.
 */
final class SimAgent {
    static final Buffer MODEL = Buffer.buffer(tinyZip());
    private static final Buffer COMPLETE = Buffer.buffer("{\"metrics\":{\"final_loss\":0.0}}");
    private static final Buffer HEARTBEAT = Buffer.buffer("{\"progress\":null,\"logLines\":[]}");
    private static final CharSequence AUTH = LoadClient.bearer(SchedulerCluster.AGENT_TOKEN);

    /** A claimed job and its lease token. */
    record Assignment(String jobId, long token) {
    }

    /** Told about claims and completions, on the event loop. */
    interface Listener {
        void claimed(String jobId, long nanos);

        default void completed(String jobId, long nanos) {
        }
    }

    static final class UnknownNode extends RuntimeException {
        UnknownNode() {
            super("unknown node", null, false, false);
        }
    }

    private final LoadClient load;
    private final HttpClientAgent client;
    private final int port;
    private final String nodeId;
    private final Buffer register;
    private final Buffer claimBody;
    private final long waitMs;
    private Listener listener = (id, nanos) -> { };
    private volatile boolean running;
    /** True while a claim of the loop is out (event loop only): the agent is idle, waiting for work. */
    private boolean polling;

    final AtomicLong claims = new AtomicLong();
    final AtomicLong completes = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    volatile Throwable lastError;

    SimAgent(LoadClient load, int port, String nodeId, long waitMs) {
        this.load = load;
        this.client = load.client(1);
        this.port = port;
        this.nodeId = nodeId;
        this.waitMs = waitMs;
        this.register = Buffer.buffer("{\"nodeId\":\"" + nodeId + "\",\"capabilities\":{\"cpus\":1,\"memoryBytes\":1073741824,"
                + "\"gpus\":[],\"labels\":{}},\"agentVersion\":\"bench\"}");
        this.claimBody = claimBody(waitMs);
    }

    /** {@code count} agents on {@code port}, registered and running the loop with {@code listener}. */
    static List<SimAgent> startMany(LoadClient load, int port, String prefix, int count, long waitMs, Listener listener)
            throws Exception {
        List<SimAgent> agents = registerMany(load, port, prefix, count, waitMs);
        startAll(load, agents, listener);
        return agents;
    }

    /** {@code count} registered agents named {@code prefix-i}, not yet claiming. */
    static List<SimAgent> registerMany(LoadClient load, int port, String prefix, int count, long waitMs) throws Exception {
        List<SimAgent> agents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            agents.add(new SimAgent(load, port, prefix + "-" + i, waitMs));
        }
        load.call(() -> Future.all(agents.stream().map(SimAgent::register).toList()).mapEmpty(), Duration.ofSeconds(30));
        return agents;
    }

    /** Starts every agent's loop. */
    static void startAll(LoadClient load, List<SimAgent> agents, Listener listener) throws Exception {
        load.call(() -> {
            agents.forEach(a -> a.start(listener));
            return Future.succeededFuture();
        }, Duration.ofSeconds(10));
    }

    /** Stops every agent and closes its connection. */
    static void stopAll(LoadClient load, List<SimAgent> agents) throws Exception {
        load.call(() -> Future.all(agents.stream().map(SimAgent::stop).toList()).mapEmpty(), Duration.ofSeconds(30));
    }

    /** Agent errors, summed, with the last one seen (for the run's log line). */
    static String errors(List<SimAgent> agents) {
        long n = agents.stream().mapToLong(a -> a.errors.get()).sum();
        Throwable last = agents.stream().map(a -> a.lastError).filter(Objects::nonNull).findFirst().orElse(null);
        return n == 0 ? "0" : n + " (e.g. " + last + ")";
    }

    /** Whether any of {@code agents} waits in a claim now (event loop only). */
    static boolean anyPolling(List<SimAgent> agents) {
        for (SimAgent a : agents) {
            if (a.polling) {
                return true;
            }
        }
        return false;
    }

    String nodeId() {
        return nodeId;
    }

    /** {@code POST /agent/v1/register}; answers the lease timeout the scheduler gives (ms). */
    Future<Long> register() {
        return LoadClient.send(client, LoadClient.request(HttpMethod.POST, port, "/agent/v1/register", AUTH, LoadClient.JSON), register)
                .map(r -> {
                    if (r.status() != 200) {
                        throw new IllegalStateException("register answered " + r.status() + ": " + r.text());
                    }
                    return r.body().toJsonObject().getLong("leaseTimeoutMs");
                });
    }

    /** Starts the claim → artifact → complete loop (call on the event loop, after {@link #register()}). */
    void start(Listener listener) {
        this.listener = listener;
        running = true;
        next();
    }

    /** Stops the loop and closes the connection (a pending long poll is abandoned). */
    Future<Void> stop() {
        running = false;
        return client.close();
    }

    /** Stops all traffic abruptly: no more requests, connection closed. */
    Future<Void> kill() {
        return stop();
    }

    private void next() {
        if (!running) {
            return;
        }
        polling = true;
        claim(claimBody, waitMs).onComplete(ar -> {
            polling = false;
            if (!running) {
                return;
            }
            if (ar.failed()) {
                if (ar.cause() instanceof UnknownNode) {
                    register().onComplete(r -> next());
                } else {
                    error(ar.cause());
                    load.vertx.setTimer(50, t -> next());
                }
                return;
            }
            Assignment a = ar.result();
            if (a == null) {
                next(); // 204: nothing came within the wait
                return;
            }
            claims.incrementAndGet();
            listener.claimed(a.jobId(), System.nanoTime());
            finish(a).onComplete(done -> {
                if (done.succeeded()) {
                    completes.incrementAndGet();
                    listener.completed(a.jobId(), System.nanoTime());
                } else if (running) {
                    error(done.cause());
                }
                next();
            });
        });
    }

    private void error(Throwable t) {
        errors.incrementAndGet();
        lastError = t;
    }

    /** One {@code POST /agent/v1/claim}: the assignment, or null after the wait (204). */
    Future<Assignment> claimOnce(long wait) {
        return claim(wait == waitMs ? claimBody : claimBody(wait), wait);
    }

    private Future<Assignment> claim(Buffer body, long wait) {
        RequestOptions options = LoadClient.request(HttpMethod.POST, port, "/agent/v1/claim", AUTH, LoadClient.JSON)
                .setIdleTimeout(wait + 15_000);
        return LoadClient.send(client, options, body).map(r -> switch (r.status()) {
            case 200 -> parseAssignment(r.body());
            case 204 -> null;
            case 404 -> throw new UnknownNode();
            default -> throw new IllegalStateException("claim answered " + r.status() + ": " + r.text());
        });
    }

    /** {@code POST /agent/v1/jobs/{id}/heartbeat} with no progress and no log lines. */
    Future<Void> heartbeat(Assignment a) {
        return expect200(LoadClient.send(client, leased(HttpMethod.POST, a, "/heartbeat", LoadClient.JSON), HEARTBEAT), "heartbeat");
    }

    /** {@code PUT artifact} (the tiny zip), then {@code POST complete}. */
    Future<Void> finish(Assignment a) {
        return expect200(LoadClient.sendForStatus(client, leased(HttpMethod.PUT, a, "/artifact", LoadClient.ZIP), MODEL)
                .map(s -> new LoadClient.Response(s, null)), "artifact")
                .compose(v -> expect200(LoadClient.sendForStatus(client, leased(HttpMethod.POST, a, "/complete", LoadClient.JSON),
                        COMPLETE).map(s -> new LoadClient.Response(s, null)), "complete"));
    }

    private RequestOptions leased(HttpMethod method, Assignment a, String what, CharSequence contentType) {
        return LoadClient.request(method, port, "/agent/v1/jobs/" + a.jobId() + what, AUTH, contentType)
                .putHeader(LoadClient.LEASE_TOKEN, Long.toString(a.token()));
    }

    private static Future<Void> expect200(Future<LoadClient.Response> f, String what) {
        return f.map(r -> {
            if (r.status() != 200) {
                throw new IllegalStateException(what + " answered " + r.status() + (r.body() == null ? "" : ": " + r.text()));
            }
            return null;
        });
    }

    /**
     * The job id and token of a claim answer. The answer starts {@code {"job":{"id":"...} and ends
     * with the top-level {@code "token"} after the job; anything else is parsed as JSON.
     */
    static Assignment parseAssignment(Buffer body) {
        String json = body.toString(StandardCharsets.UTF_8);
        String id = LoadClient.leadingString(json, "{\"job\":{\"id\":\"");
        int at = json.lastIndexOf("\"token\":");
        if (id != null && at > 0) {
            int i = at + 8;
            long token = 0;
            int digits = 0;
            while (i < json.length() && Character.isDigit(json.charAt(i))) {
                token = token * 10 + (json.charAt(i++) - '0');
                digits++;
            }
            if (digits > 0) {
                return new Assignment(id, token);
            }
        }
        JsonObject o = new JsonObject(body);
        return new Assignment(o.getJsonObject("job").getString("id"), o.getLong("token"));
    }

    private Buffer claimBody(long wait) {
        return Buffer.buffer("{\"nodeId\":\"" + nodeId + "\",\"freeGpus\":[],\"waitMs\":" + wait + "}");
    }

    private static byte[] tinyZip() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry("metrics.json"));
                zip.write("{}".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
