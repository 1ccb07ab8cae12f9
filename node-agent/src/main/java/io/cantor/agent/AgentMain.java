package io.cantor.agent;

import io.cantor.agent.gpu.NvidiaSmi;
import io.cantor.agent.metrics.AgentMetrics;
import io.cantor.model.agent.Capabilities;
import io.cantor.model.util.Flags;
import io.cantor.rvc.RvcOptions;
import io.cantor.rvc.RvcTrainer;
import io.cantor.rvc.convert.VoiceConverter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar cantor-agent.jar --scheduler URL --token TOKEN}: adds this host to the fleet.
 * SIGTERM drains it (see {@link Agent#drain}).
 */
public final class AgentMain {
    public static final Set<String> FLAGS = Set.of("scheduler", "token", "token-file", "node-id", "work-dir",
            "metrics-port", "device", "labels", "claim-wait-seconds", "drain-seconds", "nvidia-smi", "ca-cert",
            "content-encoder");

    /** Every environment variable the agent reads (deploy files are checked against this list). */
    public static final Set<String> ENVIRONMENT = Set.of("CANTOR_SCHEDULER_URL", "CANTOR_AGENT_TOKEN", "CANTOR_NODE_ID",
            "CANTOR_WORK_DIR");
    public static final int DEFAULT_METRICS_PORT = 9101;

    private AgentMain() {
    }

    public static void main(String[] args) throws Exception {
        Flags flags;
        try {
            flags = Flags.parse(args, FLAGS, Set.of());
        } catch (IllegalArgumentException e) {
            System.err.println("cantor agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        String url = flags.get("scheduler", env("CANTOR_SCHEDULER_URL", "http://127.0.0.1:8080"));
        String token = flags.get("token", env("CANTOR_AGENT_TOKEN", null));
        if (token == null && flags.has("token-file")) {
            token = Files.readString(Path.of(flags.get("token-file")), StandardCharsets.US_ASCII).trim();
        }
        if (token == null) {
            System.err.println("cantor agent: give the agent token with --token, --token-file or CANTOR_AGENT_TOKEN");
            System.exit(2);
            return;
        }
        AgentConfig config = new AgentConfig(URI.create(url), token,
                flags.get("node-id", env("CANTOR_NODE_ID", InetAddress.getLocalHost().getHostName())),
                Path.of(flags.get("work-dir", env("CANTOR_WORK_DIR", "agent-work"))).toAbsolutePath(),
                flags.getInt("metrics-port", DEFAULT_METRICS_PORT), flags.get("device", "auto"), parseLabels(flags.get("labels")),
                Duration.ofSeconds(flags.getInt("claim-wait-seconds", 20)),
                Duration.ofSeconds(flags.getInt("drain-seconds", 30)), flags.get("nvidia-smi", "nvidia-smi"),
                flags.get("ca-cert"), flags.has("content-encoder") ? Path.of(flags.get("content-encoder")) : null);
        Files.createDirectories(config.workDir());

        Vertx vertx = Vertx.vertx();
        Agent agent;
        try {
            agent = start(vertx, config);
        } catch (Exception e) {
            // Vert.x's threads would keep a half-started agent alive: exit instead.
            System.err.println("cantor agent: could not start: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                agent.drain(config.drainTimeout()).toCompletionStage().toCompletableFuture()
                        .get(config.drainTimeout().toSeconds() + 60, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("cantor agent: drain did not finish: " + e.getMessage());
            }
            vertx.close();
            stopped.countDown();
        }, "cantor-agent-drain"));
        stopped.await();
    }

    /** Probes the host and deploys an agent node on {@code vertx}; blocks until it is up. */
    public static Agent start(Vertx vertx, AgentConfig config) throws Exception {
        NvidiaSmi nvidiaSmi = new NvidiaSmi(config.nvidiaSmi());
        Capabilities capabilities = CapabilityProbe.probe(config.device(), nvidiaSmi, config.labels());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        RvcOptions rvc = new RvcOptions(config.contentEncoder());
        Agent agent = new Agent(config, capabilities, new RvcTrainer(rvc), new VoiceConverter(rvc),
                new AgentMetrics(registry, config.nodeId()), nvidiaSmi);
        vertx.deployVerticle(agent).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return agent;
    }

    private static Map<String, String> parseLabels(String labels) {
        Map<String, String> map = new LinkedHashMap<>();
        if (labels == null || labels.isBlank()) {
            return map;
        }
        for (String pair : labels.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--labels takes key=value pairs separated by commas");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return map;
    }

    private static String env(String name, String fallback) {
        if (!ENVIRONMENT.contains(name)) {
            throw new IllegalArgumentException(name + " is not in AgentMain.ENVIRONMENT");
        }
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
