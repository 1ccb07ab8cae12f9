package io.cantor.scheduler;

import io.cantor.model.util.Flags;
import io.cantor.scheduler.auth.ApiKeys;
import io.cantor.scheduler.config.Limits;
import io.cantor.scheduler.config.NotifyConfig;
import io.cantor.scheduler.config.SchedulerConfig;
import io.cantor.scheduler.config.TenantWeights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar cantor-scheduler.jar [--standalone] [flags]}: starts a scheduler node and runs
 * until SIGTERM. See docs/operations.md for every flag and environment variable.
 */
public final class SchedulerMain {
    public static final Set<String> FLAGS = Set.of("http-port", "http-host", "data-dir", "node-name", "cluster-name",
            "hazelcast-host", "hazelcast-port", "members", "kubernetes-service", "jdbc-url", "jdbc-user",
            "jdbc-password", "blob-dir", "heartbeat-seconds", "max-attempts", "http-instances", "tenant-weights",
            "smtp-host", "smtp-port", "smtp-from", "public-url", "webhook-give-up-hours", "max-file-mb", "max-upload-mb",
            "min-audio-seconds", "max-audio-seconds", "submit-rate", "submit-burst", "max-queued-per-tenant",
            "retention-days", "tls-cert", "tls-key");
    public static final Set<String> SWITCHES = Set.of("standalone", "smtp-starttls", "allow-private-webhooks");

    /** Every environment variable the scheduler reads (deploy files are checked against this list). */
    public static final Set<String> ENVIRONMENT = Set.of("CANTOR_API_KEY", "CANTOR_AGENT_TOKEN", "CANTOR_CLUSTER_NAME",
            "CANTOR_HAZELCAST_HOST", "CANTOR_JDBC_URL", "CANTOR_JDBC_USER", "CANTOR_JDBC_PASSWORD",
            "CANTOR_KUBERNETES_SERVICE", "CANTOR_MEMBERS", "CANTOR_PUBLIC_URL", "CANTOR_SMTP_HOST", "CANTOR_SMTP_USER",
            "CANTOR_SMTP_PASSWORD", "CANTOR_TENANT_WEIGHTS");

    private SchedulerMain() {
    }

    public static void main(String[] args) throws Exception {
        // With fewer than two common-pool threads (machines with two cores or fewer), the JDK and
        // Hazelcast complete async operations on a new thread per task; that halves throughput.
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
                    Integer.toString(Math.max(4, Runtime.getRuntime().availableProcessors())));
        }
        Flags flags;
        try {
            flags = Flags.parse(args, FLAGS, SWITCHES);
        } catch (IllegalArgumentException e) {
            System.err.println("cantor scheduler: " + e.getMessage());
            System.exit(2);
            return;
        }
        boolean standalone = flags.has("standalone");
        Path dataDir = Path.of(flags.get("data-dir", "data")).toAbsolutePath();
        Files.createDirectories(dataDir);
        SchedulerConfig.Builder config = SchedulerConfig.builder(dataDir)
                .httpHost(flags.get("http-host", "0.0.0.0"))
                .httpPort(flags.getInt("http-port", SchedulerConfig.DEFAULT_HTTP_PORT))
                .clusterName(flags.get("cluster-name", env("CANTOR_CLUSTER_NAME", "cantor")))
                .hazelcastHost(flags.get("hazelcast-host", env("CANTOR_HAZELCAST_HOST", "127.0.0.1")))
                .hazelcastPort(flags.getInt("hazelcast-port", SchedulerConfig.DEFAULT_HAZELCAST_PORT))
                .heartbeatInterval(Duration.ofMillis((long) (1000 * flags.getDouble("heartbeat-seconds", 5))))
                .defaultMaxAttempts(flags.getInt("max-attempts", 3))
                .jdbc(flags.get("jdbc-url", env("CANTOR_JDBC_URL", null)),
                        flags.get("jdbc-user", env("CANTOR_JDBC_USER", null)),
                        flags.get("jdbc-password", env("CANTOR_JDBC_PASSWORD", null)));
        if (flags.has("node-name")) {
            config.nodeName(flags.get("node-name"));
        }
        if (flags.has("http-instances")) {
            config.httpInstances(flags.getInt("http-instances", 1));
        }
        config.tenantWeights(TenantWeights.parse(flags.get("tenant-weights", env("CANTOR_TENANT_WEIGHTS", null))));
        if (flags.has("blob-dir")) {
            config.blobDir(Path.of(flags.get("blob-dir")));
        }
        String members = flags.get("members", env("CANTOR_MEMBERS", null));
        if (members != null && !members.isBlank()) {
            config.members(Arrays.stream(members.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList());
        }
        String k8s = flags.get("kubernetes-service", env("CANTOR_KUBERNETES_SERVICE", null));
        if (k8s != null && !k8s.isBlank()) {
            config.kubernetesService(k8s);
        }
        NotifyConfig notify = NotifyConfig.DEFAULTS
                .allowingPrivateTargets(standalone || flags.has("allow-private-webhooks"))
                .withRetry(NotifyConfig.DEFAULTS.retryInitial(), NotifyConfig.DEFAULTS.retryMax(),
                        Duration.ofMinutes((long) (60 * flags.getDouble("webhook-give-up-hours", 24))))
                .withPublicUrl(flags.get("public-url", env("CANTOR_PUBLIC_URL", null)));
        String smtp = flags.get("smtp-host", env("CANTOR_SMTP_HOST", null));
        if (smtp != null) {
            notify = notify.withSmtp(smtp, flags.getInt("smtp-port", 25), flags.get("smtp-from", "cantor@localhost"),
                    env("CANTOR_SMTP_USER", null), env("CANTOR_SMTP_PASSWORD", null), flags.has("smtp-starttls"));
        }
        config.notifications(notify);
        Limits limits = Limits.DEFAULTS
                .withFiles((long) (flags.getDouble("max-file-mb", Limits.DEFAULTS.maxFileBytes() / 1048576.0) * 1048576),
                        Limits.DEFAULTS.maxFiles())
                .withAudio(flags.getDouble("min-audio-seconds", Limits.DEFAULTS.minTotalSeconds()),
                        flags.getDouble("max-audio-seconds", Limits.DEFAULTS.maxTotalSeconds()))
                .withSubmits(flags.getDouble("submit-rate", Limits.DEFAULTS.submitsPerSecond()),
                        flags.getInt("submit-burst", Limits.DEFAULTS.submitBurst()),
                        flags.getInt("max-queued-per-tenant", Limits.DEFAULTS.maxQueuedPerTenant()));
        if (flags.has("retention-days")) {
            limits = limits.withRetention(Duration.ofMinutes((long) (flags.getDouble("retention-days", 0) * 24 * 60)));
        }
        config.limits(limits);
        if (flags.has("max-upload-mb")) {
            config.maxUploadBytes((long) (flags.getDouble("max-upload-mb", 512) * 1048576));
        }
        if (flags.has("tls-cert") || flags.has("tls-key")) {
            if (!flags.has("tls-cert") || !flags.has("tls-key")) {
                System.err.println("cantor scheduler: TLS needs both --tls-cert and --tls-key (PEM files)");
                System.exit(2);
            }
            config.tls(flags.get("tls-cert"), flags.get("tls-key"));
        }
        String apiKey = env("CANTOR_API_KEY", null);
        String agentToken = env("CANTOR_AGENT_TOKEN", null);
        if (standalone) {
            // One machine, nobody configured anything: make keys once and keep them in the data folder.
            apiKey = apiKey != null ? apiKey : secretFile(dataDir.resolve("api-key"), true);
            agentToken = agentToken != null ? agentToken : secretFile(dataDir.resolve("agent-token"), false);
        }
        config.bootstrapApiKey(apiKey).agentToken(agentToken);

        SchedulerNode node;
        try {
            node = SchedulerNode.start(config.build(), SchedulerNode.systemClock());
        } catch (RuntimeException e) {
            // Hazelcast's and Vert.x's threads would keep a half-started node alive: exit instead.
            System.err.println("cantor scheduler: could not start: " + rootMessage(e));
            e.printStackTrace();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "cantor-shutdown"));
        System.out.println("Cantor scheduler ready at " + node.baseUrl());
        stopped.await();
    }

    /** Reads a secret from {@code file}, or makes one and stores it there (owner-only permissions). */
    private static String secretFile(Path file, boolean announce) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        String secret = ApiKeys.newSecret();
        Files.writeString(file, secret + "\n", StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX filesystem: nothing more to do
        }
        if (announce) {
            System.out.println("Generated API key (admin, tenant 'default'), stored in " + file + ":");
            System.out.println("  " + secret);
        }
        return secret;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String env(String name, String fallback) {
        if (!ENVIRONMENT.contains(name)) {
            throw new IllegalArgumentException(name + " is not in SchedulerMain.ENVIRONMENT");
        }
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
