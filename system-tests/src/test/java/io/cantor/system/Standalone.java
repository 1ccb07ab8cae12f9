package io.cantor.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code bin/cantor standalone}, started as a user would (the real launcher, jars from this build). */
final class Standalone implements AutoCloseable {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    final Process process;
    final int httpPort;
    final Path dataDir;

    Standalone(int httpPort, Path dataDir, int agentMetricsPort, Map<String, String> env) throws Exception {
        this(List.of("standalone", "--http-port", Integer.toString(httpPort), "--data-dir", dataDir.toString(),
                "--agent-metrics-port", Integer.toString(agentMetricsPort)), httpPort, dataDir, env,
                dataDir.resolveSibling(dataDir.getFileName() + ".out"));
    }

    /** Runs {@code bin/cantor <args>} (a command that starts Cantor) and waits until it serves. */
    Standalone(List<String> args, int httpPort, Path dataDir, Map<String, String> env, Path log) throws Exception {
        this.httpPort = httpPort;
        this.dataDir = dataDir;
        List<String> command = new java.util.ArrayList<>(List.of("bash", ROOT.resolve("bin/cantor").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().put("CANTOR_NO_BUILD", "1");
        pb.environment().remove("CANTOR_API_KEY");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        process = pb.start();
        awaitReady();
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("bin/cantor standalone exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("standalone Cantor did not become ready");
    }

    static String get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: the launcher stops the scheduler and the agent it started
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        // The launcher's children, should it have died first.
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(dataDir.toString())).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }
}
