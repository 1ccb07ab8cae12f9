package io.cantor.system;

import io.cantor.agent.Agent;
import io.cantor.agent.AgentConfig;
import io.cantor.agent.AgentMain;
import io.cantor.scheduler.SchedulerNode;
import io.cantor.scheduler.config.Limits;
import io.cantor.scheduler.config.SchedulerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Starts real scheduler nodes and agents for system tests, and watches their event loops. */
final class Harness implements AutoCloseable {
    static final String API_KEY = "test-admin-key";
    static final String AGENT_TOKEN = "test-agent-token";

    private final Path root;
    private final String clusterName = "test-" + UUID.randomUUID();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    /** Every time an event loop was blocked longer than allowed, in any node or agent. */
    final List<BlockedThreadEvent> blockedEventLoops = new CopyOnWriteArrayList<>();

    Harness(Path root) {
        this.root = root;
    }

    SchedulerConfig.Builder config(String name) {
        return SchedulerConfig.builder(root.resolve(name))
                .nodeName(name)
                .httpHost("127.0.0.1")
                .httpPort(0)
                .httpInstances(1)
                .clusterName(clusterName)
                .hazelcastHost("127.0.0.1")
                .heartbeatInterval(Duration.ofMillis(500))
                .maxClaimWait(Duration.ofSeconds(5))
                .bootstrapApiKey(API_KEY)
                .agentToken(AGENT_TOKEN)
                // Short test recordings, and bursts of submissions faster than a person makes.
                .limits(Limits.DEFAULTS.withAudio(1, 7200).withSubmits(10_000, 10_000, 100_000));
    }

    SchedulerNode scheduler(SchedulerConfig config) {
        SchedulerNode node = SchedulerNode.start(config, SchedulerNode.systemClock(), strict());
        watch(node.vertx());
        closeables.add(node);
        return node;
    }

    Agent agent(String nodeId, String schedulerUrl) throws Exception {
        return agent(nodeId, schedulerUrl, null);
    }

    Agent agent(String nodeId, String schedulerUrl, String caCert) throws Exception {
        Vertx vertx = Vertx.vertx(strict());
        watch(vertx);
        closeables.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
        AgentConfig config = new AgentConfig(URI.create(schedulerUrl), AGENT_TOKEN, nodeId,
                Files.createDirectories(root.resolve("agent-" + nodeId)), 0, "cpu", Map.of(),
                Duration.ofSeconds(5), Duration.ofSeconds(5), null, caCert, null);
        return AgentMain.start(vertx, config);
    }

    /** An agent in its own JVM, so that a test can kill it for real (SIGKILL). Its output goes to a log file. */
    Process agentProcess(String nodeId, String schedulerUrl) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path work = Files.createDirectories(root.resolve("agent-" + nodeId));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-cp", classpath, "io.cantor.agent.AgentMain",
                "--scheduler", schedulerUrl, "--token", AGENT_TOKEN, "--node-id", nodeId, "--work-dir", work.toString(),
                "--metrics-port", "-1", "--device", "cpu", "--claim-wait-seconds", "5");
        pb.redirectErrorStream(true).redirectOutput(root.resolve("agent-" + nodeId + ".log").toFile());
        Process process = pb.start();
        closeables.add(() -> process.destroyForcibly().waitFor());
        return process;
    }

    /**
     * Vert.x options that report an event loop held for over a second. Training shares the JVM and
     * the machine's two cores in these tests, so the bound leaves room for scheduling and GC; the
     * scheduler's own tests, without training, use a tighter one.
     */
    static VertxOptions strict() {
        return new VertxOptions()
                .setMaxEventLoopExecuteTime(1000).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
    }

    private void watch(Vertx vertx) {
        ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(event -> {
            if (event.thread().getName().contains("eventloop")) {
                blockedEventLoops.add(event);
                StringBuilder where = new StringBuilder("BLOCKED " + event + "\n");
                for (StackTraceElement e : event.thread().getStackTrace()) {
                    where.append("    at ").append(e).append('\n');
                }
                System.err.print(where);
            }
        });
    }

    /** Speech from espeak-ng, as a 16-bit WAV. */
    static Path speak(Path dir, String name, String voice, String text) throws IOException, InterruptedException {
        Path wav = dir.resolve(name);
        Process p = new ProcessBuilder("espeak-ng", "-v", voice, "-w", wav.toString(), text)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("espeak-ng failed: " + out);
        }
        return wav;
    }

    static List<Path> sentences(Path dir, String voice) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        return List.of(
                speak(dir, "a.wav", voice, "The quick brown fox jumps over the lazy dog."),
                speak(dir, "b.wav", voice, "She sells sea shells by the sea shore."),
                speak(dir, "c.wav", voice, "A voice model learns the colour of a speaker."),
                speak(dir, "d.wav", voice, "Rainbows appear when sunlight shines through rain."));
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                System.err.println("closing test resource failed: " + e);
            }
        }
    }
}
