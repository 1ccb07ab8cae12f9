package io.cantor.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.cantor.model.json.Json;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus (Debian's package) scrapes a running standalone Cantor whose agent sees two
 * GPUs (a fake nvidia-smi on its PATH): targets are up, the key series are there, GPU series
 * carry the running job's id, and every metric that a Grafana dashboard names is exported.
 */
class PrometheusScrapeTest {
    @TempDir
    Path dir;

    @Test
    void prometheusScrapesCantorAndEveryDashboardMetricExists() throws Exception {
        Path fakeSmi = Standalone.ROOT.resolve("node-agent/src/test/resources/fake-nvidia-smi");
        int http = Standalone.freePort();
        int agentMetrics = Standalone.freePort();
        try (Standalone cantor = new Standalone(http, dir.resolve("data"), agentMetrics,
                Map.of("CANTOR_API_KEY", "prom-key", "PATH", fakeSmi + ":" + System.getenv("PATH")));
             Api api = new Api(cantor.url(), "prom-key")) {
            List<Path> voice = Harness.sentences(dir.resolve("v"), "en-us");
            String quick = api.submit(voice, "{\"epochs\": 2, \"modelSize\": \"tiny\"}").bodyAsJsonObject().getString("id");
            await().atMost(Duration.ofSeconds(90)).until(() -> "SUCCEEDED".equals(api.job(quick).getString("state")));
            String id = api.submit(voice, "{\"epochs\": 400, \"modelSize\": \"tiny\"}").bodyAsJsonObject().getString("id");
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                JsonObject p = api.job(id).getJsonObject("progress");
                return p != null && "train".equals(p.getString("stage")) && p.getInteger("epoch") >= 2;
            });

            int promPort = Standalone.freePort();
            Path config = Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
                    "global:", "  scrape_interval: 1s",
                    "scrape_configs:",
                    "  - job_name: cantor-scheduler", "    static_configs:", "      - targets: ['127.0.0.1:" + http + "']",
                    "  - job_name: cantor-agent", "    static_configs:", "      - targets: ['127.0.0.1:" + agentMetrics + "']", ""));
            Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String prom = "http://127.0.0.1:" + promPort;
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    JsonNode targets = Json.mapper().readTree(Standalone.get(prom + "/api/v1/targets")).path("data").path("activeTargets");
                    assertEquals(2, targets.size());
                    for (JsonNode t : targets) {
                        assertEquals("up", t.path("health").asText(), t.toString());
                    }
                });
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertTrue(query(prom, "cantor_jobs{state=\"RUNNING\",tenant=\"default\"} == 1") > 0, "jobs by state");
                    assertTrue(query(prom, "cantor_agents{state=\"ACTIVE\"} == 1") > 0, "agents by state");
                    assertTrue(query(prom, "cantor_gpu_utilization_ratio{gpu=\"0\",job_id=\"" + id + "\"}") > 0,
                            "the GPU the job is pinned to carries its id");
                    assertTrue(query(prom, "cantor_training_loss{job_id=\"" + id + "\"}") > 0, "training loss per job");
                    assertTrue(query(prom, "vertx_http_server_requests_total{route=~\".+\"}") > 0, "HTTP routes");
                    assertTrue(query(prom, "jvm_memory_used_bytes") > 0, "JVM");
                });

                // Java's client asks for an h2c upgrade; the scheduler stays on HTTP/1.1, where Vert.x 5.0.7's
                // h2c path once sent this large body as raw bytes on an upgraded connection
                HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(cantor.url() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(HttpClient.Version.HTTP_1_1, scrape.version());
                String exported = scrape.body() + Standalone.get("http://127.0.0.1:" + agentMetrics + "/metrics");
                Set<String> missing = new TreeSet<>();
                for (String metric : dashboardMetrics()) {
                    if (!Pattern.compile("(?m)^" + Pattern.quote(metric) + "[{ ]").matcher(exported).find()) {
                        missing.add(metric);
                    }
                }
                assertEquals(Set.of(), missing, "every dashboard metric is exported");
            } finally {
                prometheus.destroy();
                prometheus.waitFor(20, TimeUnit.SECONDS);
            }
            assertEquals(200, api.delete("/jobs/" + id).statusCode());
        }
    }

    /** Results of an instant query. */
    static int query(String prom, String expr) throws Exception {
        String url = prom + "/api/v1/query?query=" + java.net.URLEncoder.encode(expr, java.nio.charset.StandardCharsets.UTF_8);
        return Json.mapper().readTree(Standalone.get(url)).path("data").path("result").size();
    }

    /** Every metric name in every panel query of deploy/grafana/dashboards/*.json. */
    static Set<String> dashboardMetrics() throws Exception {
        Set<String> names = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b((?:cantor|vertx|jvm|process)_[a-z0-9_]+)");
        List<Path> dashboards = new ArrayList<>();
        try (var files = Files.list(Standalone.ROOT.resolve("deploy/grafana/dashboards"))) {
            files.filter(f -> f.toString().endsWith(".json")).forEach(dashboards::add);
        }
        assertEquals(3, dashboards.size(), "fleet, queue and jobs");
        for (Path dashboard : dashboards) {
            Json.mapper().readTree(dashboard.toFile()).findValues("expr").forEach(expr -> {
                Matcher m = metric.matcher(expr.asText());
                while (m.find()) {
                    names.add(m.group(1));
                }
            });
        }
        return names;
    }
}
