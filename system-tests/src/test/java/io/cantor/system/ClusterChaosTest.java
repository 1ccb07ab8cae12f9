package io.cantor.system;

import io.cantor.model.RetryBackoff;
import io.cantor.scheduler.SchedulerNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three scheduler members under continuous submit + claim + complete load; one is killed hard
 * (its Hazelcast member terminated, its HTTP server gone) in the middle. Afterwards every accepted
 * job has succeeded exactly once: none lost, none run to completion twice, none created twice.
 */
class ClusterChaosTest {
    static final int JOBS = 150;
    static EmbeddedPostgres postgres;
    @TempDir
    Path dir;

    @BeforeAll
    static void database() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        postgres.close();
    }

    @RepeatedTest(3)
    void killingAMemberLosesAndDoublesNothing() throws Exception {
        String db = "chaos_" + Long.toHexString(System.nanoTime());
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        String url = postgres.getJdbcUrl("postgres", db);
        Path blobs = dir.resolve("blobs");
        try (Harness harness = new Harness(dir)) {
            List<SchedulerNode> members = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<String> seeds = members.stream().map(m -> "127.0.0.1:"
                        + m.hazelcast().getCluster().getLocalMember().getAddress().getPort()).toList();
                members.add(harness.scheduler(harness.config("m" + i).jdbc(url, "postgres", null).blobDir(blobs)
                        .members(seeds).hazelcastPort(5801 + i)
                        .retryBackoff(new RetryBackoff(Duration.ofMillis(100), 2, Duration.ofSeconds(1))).build()));
            }
            assertEquals(3, members.get(0).hazelcast().getCluster().getMembers().size());
            // every partition replicated before the load starts: the promise is "lose one member, lose nothing"
            await().atMost(Duration.ofSeconds(60)).until(() -> members.get(0).hazelcast().getPartitionService().isClusterSafe());
            List<String> urls = members.stream().map(SchedulerNode::baseUrl).toList();
            String datasetId = uploadDataset(urls.get(0), dir);

            ConcurrentMap<String, AtomicInteger> completions = NoopAgent.newLedger();
            Set<String> claimed = ConcurrentHashMap.newKeySet();
            List<NoopAgent> agents = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                List<String> order = new ArrayList<>(urls);
                java.util.Collections.rotate(order, i);
                NoopAgent agent = new NoopAgent("noop-" + i, order, completions, claimed::add);
                agents.add(agent);
                threads.add(daemon(agent));
            }

            Submitter submitter = new Submitter(urls, datasetId);
            Thread submitting = daemon(submitter);
            await().atMost(Duration.ofSeconds(60)).until(() -> submitter.accepted.size() >= JOBS / 3);
            members.get(1).crash(); // the victim holds primaries and backups of about a third of the jobs
            submitting.join(150_000);
            assertEquals(JOBS, submitter.accepted.size(),
                    "every submission was accepted (retried elsewhere if needed); " + submitter.failures.size()
                            + " refusals, first: " + submitter.failures.stream().limit(2).toList());

            try (Api api = new Api(urls.get(0), Harness.API_KEY)) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    for (String id : submitter.accepted.values()) {
                        assertEquals("SUCCEEDED", api.job(id).getString("state"), id);
                    }
                });
            }
            agents.forEach(NoopAgent::stop);
            for (Thread t : threads) {
                t.join(10_000);
            }
            for (String id : submitter.accepted.values()) {
                int n = completions.getOrDefault(id, new AtomicInteger()).get();
                assertTrue(n <= 1, "job " + id + " completed " + n + " times");
            }
            assertEquals(Set.copyOf(submitter.accepted.values()).size(), JOBS, "no two keys made the same job");
            assertEquals(JOBS, countJobs(url), "the journal holds each job once");
        }
    }

    static Thread daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long countJobs(String url) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", null);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM jobs")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String uploadDataset(String url, Path dir) throws Exception {
        Path wav = Files.copy(Path.of("../samples/sample-0.wav"), dir.resolve("a.wav"));
        try (Api api = new Api(url, Harness.API_KEY)) {
            io.vertx.ext.web.multipart.MultipartForm form = io.vertx.ext.web.multipart.MultipartForm.create()
                    .binaryFileUpload("audio", "a.wav", wav.toString(), "audio/wav");
            var response = Api.await(api.request(io.vertx.core.http.HttpMethod.POST, "/datasets").sendMultipartForm(form));
            assertEquals(201, response.statusCode(), response.bodyAsString());
            return response.bodyAsJsonObject().getString("id");
        }
    }

    /** Submits JOBS jobs with idempotency keys, moving to the next member when one does not answer. */
    static final class Submitter implements Runnable {
        final Map<String, String> accepted = new ConcurrentHashMap<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final List<String> urls;
        private final String datasetId;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        Submitter(List<String> urls, String datasetId) {
            this.urls = urls;
            this.datasetId = datasetId;
        }

        @Override
        public void run() {
            int node = 0;
            for (int i = 0; i < JOBS; i++) {
                String key = "chaos-" + i;
                for (int tries = 0; tries < 120 && !accepted.containsKey(key); tries++) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(urls.get(node % urls.size()) + "/model/train"))
                                .timeout(Duration.ofSeconds(10))
                                .header("Authorization", "Bearer " + Harness.API_KEY)
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", key)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"datasetId\":\"" + datasetId + "\"}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 202) {
                            accepted.put(key, new io.vertx.core.json.JsonObject(r.body()).getString("id"));
                        } else {
                            failures.add(r.statusCode() + " " + r.body());
                            node++;
                            Thread.sleep(500); // e.g. 409: the key's first request died mid-way; its reservation goes stale
                        }
                    } catch (IOException e) {
                        node++;
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }
}
