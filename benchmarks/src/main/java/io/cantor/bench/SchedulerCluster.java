package io.cantor.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Scheduler nodes as child processes of the benchmark JVM, started as an operator would
 * ({@code java -jar scheduler/target/cantor-scheduler.jar ...}, see {@code bin/cantor}; from a
 * private copy of that jar, see {@link #snapshotJar}), on free ports, with their own cluster name so they never join anything else on the machine. Limits that
 * would throttle a load test (submit rate, queued jobs per tenant, minimum audio) are lifted.
 * {@link #close()} stops them (SIGTERM, then SIGKILL) and deletes their data folders.
 */
final class SchedulerCluster implements AutoCloseable {
    static final String API_KEY = "bench-api-" + UUID.randomUUID();
    static final String AGENT_TOKEN = "bench-agent-" + UUID.randomUUID();
    /** As {@code bin/cantor}'s HZ_OPENS; read from there when the script is at hand. */
    private static final String DEFAULT_HZ_OPENS = "--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED "
            + "--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED "
            + "--add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED";

    private final Path root;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final int[] httpPorts;
    private final double heartbeatSeconds;
    private final Thread shutdownHook;

    private SchedulerCluster(Path root, int nodes, double heartbeatSeconds) {
        this.root = root;
        this.httpPorts = new int[nodes];
        this.heartbeatSeconds = heartbeatSeconds;
        this.shutdownHook = new Thread(() -> processes.forEach(Process::destroyForcibly), "bench-kill-schedulers");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts {@code nodes} clustered scheduler processes and waits until each reports all of them as members. */
    static SchedulerCluster start(LoadClient load, int nodes, double heartbeatSeconds) throws Exception {
        Path home = home();
        Path jar = snapshotJar(home);
        SchedulerCluster cluster = new SchedulerCluster(Files.createTempDirectory("cantor-bench-"), nodes, heartbeatSeconds);
        try {
            int[] hzPorts = new int[nodes];
            for (int i = 0; i < nodes; i++) {
                cluster.httpPorts[i] = freePort();
                hzPorts[i] = freePort();
            }
            String members = Arrays.stream(hzPorts).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
            String clusterName = "bench-" + UUID.randomUUID();
            for (int i = 0; i < nodes; i++) {
                Path data = Files.createDirectories(cluster.root.resolve("node-" + i));
                List<String> cmd = new ArrayList<>();
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.addAll(Arrays.asList(hzOpens(home).split("\\s+")));
                String extra = System.getenv("CANTOR_BENCH_JVM_OPTS"); // e.g. a JFR recording, to profile a run
                if (extra != null && !extra.isBlank()) {
                    cmd.addAll(Arrays.asList(extra.trim().replace("{node}", Integer.toString(i)).split("\\s+")));
                }
                cmd.addAll(List.of("-Xmx2g", "-jar", jar.toString(),
                        "--http-port", Integer.toString(cluster.httpPorts[i]), "--data-dir", data.toString(),
                        "--hazelcast-port", Integer.toString(hzPorts[i]),
                        "--heartbeat-seconds", Double.toString(heartbeatSeconds),
                        "--submit-rate", "1000000", "--submit-burst", "1000000",
                        "--max-queued-per-tenant", "10000000", "--min-audio-seconds", "1",
                        "--cluster-name", clusterName, "--node-name", "bench-" + i));
                if (nodes > 1) {
                    cmd.addAll(List.of("--members", members));
                }
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true);
                pb.environment().keySet().removeIf(k -> k.startsWith("CANTOR_"));
                pb.environment().put("CANTOR_API_KEY", API_KEY);
                pb.environment().put("CANTOR_AGENT_TOKEN", AGENT_TOKEN);
                Path log = cluster.root.resolve("node-" + i + ".log");
                pb.redirectOutput(log.toFile());
                cluster.logs.add(log);
                cluster.processes.add(pb.start());
            }
            long t0 = System.nanoTime();
            cluster.awaitReady(load, Duration.ofSeconds(180));
            HttpBenchmarks.progress(String.format("%d scheduler process(es) ready in %.1f s", nodes, (System.nanoTime() - t0) / 1e9));
            return cluster;
        } catch (Exception | Error e) {
            cluster.printLogTails();
            cluster.close();
            throw e;
        }
    }

    int[] httpPorts() {
        return httpPorts.clone();
    }

    int port(int node) {
        return httpPorts[node];
    }

    int size() {
        return httpPorts.length;
    }

    double heartbeatSeconds() {
        return heartbeatSeconds;
    }

    /**
     * Waits (at most {@code max}) until the scheduler processes are nearly idle: under 15% of a core
     * each over half a second. Startup, JIT compilation, partition migration and write-behind after
     * a bulk load then do not run into a measured window. Answers the cores they used in the last
     * half second (the idle baseline).
     */
    double awaitQuiet(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long before = cpuNanos();
        while (true) {
            long t0 = System.nanoTime();
            Thread.sleep(500);
            long now = cpuNanos();
            double cores = (now - before) / (double) (System.nanoTime() - t0);
            if (cores < 0.15 * processes.size() || System.nanoTime() > deadline) {
                return cores;
            }
            before = now;
        }
    }

    /** CPU time all scheduler processes have used so far (user + system), in nanoseconds. */
    long cpuNanos() {
        long total = 0;
        for (Process p : processes) {
            total += p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
        return total;
    }

    private void awaitReady(LoadClient load, Duration timeout) throws Exception {
        HttpClientAgent client = load.client(1);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < httpPorts.length; i++) {
                while (true) {
                    for (int n = 0; n < processes.size(); n++) {
                        if (!processes.get(n).isAlive()) {
                            throw new IllegalStateException("scheduler process " + n + " exited with " + processes.get(n).exitValue());
                        }
                        if (diedOnStart(logs.get(n))) { // Hazelcast's threads keep the JVM up after main failed
                            throw new IllegalStateException("scheduler process " + n + " failed to start (see its log above)");
                        }
                    }
                    int members = -1;
                    try {
                        int port = httpPorts[i];
                        LoadClient.Response r = load.call(() -> LoadClient.send(client,
                                LoadClient.request(HttpMethod.GET, port, "/health/ready", null, null), null), Duration.ofSeconds(5));
                        if (r.status() == 200) {
                            members = r.body().toJsonObject().getInteger("clusterMembers", -1);
                        }
                    } catch (Exception notYet) {
                        // not listening yet
                    }
                    if (members == httpPorts.length) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("scheduler on port " + httpPorts[i] + " not ready with "
                                + httpPorts.length + " members within " + timeout);
                    }
                    Thread.sleep(250);
                }
            }
        } finally {
            LoadClient.await(client.close(), Duration.ofSeconds(10));
        }
    }

    /** {@code POST /datasets} with samples/sample-0.wav and sample-1.wav; answers the dataset id. */
    String uploadDataset(LoadClient load) throws Exception {
        Path samples = home().resolve("samples");
        WebClient web = WebClient.create(load.vertx);
        try {
            MultipartForm form = MultipartForm.create()
                    .binaryFileUpload("audio", "sample-0.wav", samples.resolve("sample-0.wav").toString(), "audio/wav")
                    .binaryFileUpload("audio", "sample-1.wav", samples.resolve("sample-1.wav").toString(), "audio/wav");
            HttpResponse<Buffer> r = load.call(() -> web.post(httpPorts[0], LoadClient.HOST, "/datasets")
                    .putHeader("Authorization", "Bearer " + API_KEY).sendMultipartForm(form), Duration.ofSeconds(60));
            if (r.statusCode() != 201) {
                throw new IllegalStateException("POST /datasets answered " + r.statusCode() + ": " + r.bodyAsString());
            }
            JsonObject body = r.bodyAsJsonObject();
            return body.getString("id");
        } finally {
            web.close();
        }
    }

    private static boolean diedOnStart(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.contains("Exception in thread \"main\"") || text.contains("could not start");
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    void printLogTails() {
        for (Path log : logs) {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                System.err.println("--- last lines of " + log.getFileName() + " ---");
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.err::println);
            } catch (IOException | UncheckedIOException e) {
                System.err.println("(no log " + log + ": " + e + ")");
            }
        }
    }

    /** SIGTERM to every node, up to 5 s to stop, then SIGKILL; deletes the data folders and logs. */
    @Override
    public void close() {
        long t0 = System.nanoTime();
        processes.forEach(Process::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Process p : processes) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        deleteTree(root);
        HttpBenchmarks.progress(String.format("%d scheduler process(es) stopped in %.1f s", processes.size(),
                (System.nanoTime() - t0) / 1e9));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static Path snapshot;

    /**
     * A private copy of {@code scheduler/target/cantor-scheduler.jar} and its {@code lib/}, taken
     * once per benchmark JVM: a rebuild of the working tree during a run (a shared machine) must
     * neither break nodes that are starting or running nor mix two builds in one table. Removed when
     * this JVM exits.
     */
    static synchronized Path snapshotJar(Path home) throws IOException, InterruptedException {
        if (snapshot != null) {
            return snapshot;
        }
        Path target = home.resolve("scheduler/target");
        Path dir = Files.createTempDirectory("cantor-bench-scheduler-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "bench-delete-jar-copy"));
        for (int attempt = 1; ; attempt++) {
            try {
                Files.createDirectories(dir.resolve("lib"));
                try (Stream<Path> libs = Files.list(target.resolve("lib"))) {
                    for (Path lib : libs.toList()) {
                        Files.copy(lib, dir.resolve("lib").resolve(lib.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Path jar = dir.resolve("cantor-scheduler.jar");
                Files.copy(target.resolve("cantor-scheduler.jar"), jar, StandardCopyOption.REPLACE_EXISTING);
                try (JarFile check = new JarFile(jar.toFile())) { // a jar caught mid-write does not open
                    if (check.getManifest() == null) {
                        throw new IOException("no manifest in " + jar);
                    }
                }
                snapshot = jar;
                return jar;
            } catch (IOException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(5_000); // a build is writing it: try again
            }
        }
    }

    /** The repository root: {@code -Dcantor.home}, or the nearest folder up from here with the scheduler jar. */
    static Path home() {
        String configured = System.getProperty("cantor.home");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scheduler/target/cantor-scheduler.jar"))) {
                return dir;
            }
        }
        throw new IllegalStateException("scheduler/target/cantor-scheduler.jar not found from " + Path.of("").toAbsolutePath()
                + ": build it (mvn install -DskipTests) and run from the repository, or set -Dcantor.home");
    }

    private static String hzOpens(Path home) {
        try {
            Matcher m = Pattern.compile("(?m)^HZ_OPENS=\"([^\"]+)\"").matcher(Files.readString(home.resolve("bin/cantor")));
            if (m.find()) {
                return m.group(1).trim();
            }
        } catch (IOException ignored) {
            // fall back to the copy above
        }
        return DEFAULT_HZ_OPENS;
    }
}
