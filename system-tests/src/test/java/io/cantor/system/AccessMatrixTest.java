package io.cantor.system;

import io.cantor.scheduler.SchedulerNode;
import io.cantor.scheduler.auth.Role;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every route x every kind of caller: each role of the owning tenant, another tenant, an agent
 * token, a revoked key, no key. Another tenant's resources are 404 (never 403: nothing to probe),
 * a missing or revoked key is 401, a key without the role is 403. Routes come from openapi.yaml,
 * so a route added there without a rule here fails this test.
 */
class AccessMatrixTest {
    enum Scope { NONE, OWN_RESOURCE }

    /** What a route needs and how to make a concrete request for the owning tenant's resource. */
    record Rule(Role role, Scope scope, Supplier<String> path, String body) {
    }

    @TempDir
    static Path dir;
    static Harness harness;
    static SchedulerNode node;
    static final Map<String, String> KEYS = new LinkedHashMap<>();
    static String datasetA;
    static String jobA;
    static String webhookA;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(dir);
        node = harness.scheduler(harness.config("m")
                .notifications(io.cantor.scheduler.config.NotifyConfig.DEFAULTS.allowingPrivateTargets(true)).build());
        var keys = node.services().apiKeys();
        KEYS.put("a-submit", keys.register("a-submit", "a", Set.of(Role.SUBMIT)).id());
        KEYS.put("a-read", keys.register("a-read", "a", Set.of(Role.READ)).id());
        KEYS.put("a-admin", keys.register("a-admin", "a", Set.of(Role.ADMIN)).id());
        KEYS.put("b-admin", keys.register("b-admin", "b", Set.of(Role.ADMIN)).id());
        KEYS.put("revoked", keys.register("revoked", "a", Set.of(Role.ADMIN)).id());
        Api.await(keys.revoke(KEYS.get("revoked")));
        try (Api api = new Api(node.baseUrl(), "a-admin")) {
            datasetA = dataset(api);
            jobA = job(api);
            webhookA = api.postJson("/webhooks", new JsonObject().put("url", "http://127.0.0.1:9/hook"))
                    .bodyAsJsonObject().getString("id");
            assertEquals(true, datasetA != null && jobA != null && webhookA != null, "the tenant's resources exist");
            new Api(node.baseUrl(), Harness.AGENT_TOKEN).postJson("/agent/v1/register", new JsonObject()
                    .put("nodeId", "n1").put("capabilities", new JsonObject().put("cpus", 2).put("memoryBytes", 1 << 30)));
        }
    }

    @AfterAll
    static void stop() {
        harness.close();
        assertEquals(List.of(), harness.blockedEventLoops);
    }

    static Map<String, Rule> rules() {
        Map<String, Rule> r = new TreeMap<>();
        String json = "{\"datasetId\":\"%s\"}";
        r.put("submitJob", new Rule(Role.SUBMIT, Scope.NONE, () -> "/model/train", json.formatted(datasetA)));
        r.put("createDataset", new Rule(Role.SUBMIT, Scope.NONE, () -> "/datasets", "{}"));
        r.put("getDataset", new Rule(Role.READ, Scope.OWN_RESOURCE, () -> "/datasets/" + datasetA, null));
        r.put("deleteDataset", new Rule(Role.SUBMIT, Scope.OWN_RESOURCE, () -> "/datasets/" + fresh(AccessMatrixTest::dataset), null));
        r.put("listJobs", new Rule(Role.READ, Scope.NONE, () -> "/jobs", null));
        r.put("getJob", new Rule(Role.READ, Scope.OWN_RESOURCE, () -> "/jobs/" + jobA, null));
        r.put("cancelJob", new Rule(Role.SUBMIT, Scope.OWN_RESOURCE, () -> "/jobs/" + fresh(AccessMatrixTest::job), null));
        r.put("jobEvents", new Rule(Role.READ, Scope.OWN_RESOURCE, () -> "/jobs/" + jobA + "/events", null));
        r.put("jobLogs", new Rule(Role.READ, Scope.OWN_RESOURCE, () -> "/jobs/" + jobA + "/logs", null));
        r.put("tenantEvents", new Rule(Role.READ, Scope.NONE, () -> "/events", null));
        r.put("downloadModel", new Rule(Role.READ, Scope.OWN_RESOURCE, () -> "/models/" + jobA, null));
        r.put("deleteModel", new Rule(Role.SUBMIT, Scope.OWN_RESOURCE, () -> "/models/" + jobA, null));
        r.put("convertWithModel", new Rule(Role.SUBMIT, Scope.OWN_RESOURCE, () -> "/models/" + jobA + "/convert", "multipart"));
        r.put("createWebhook", new Rule(Role.ADMIN, Scope.NONE, () -> "/webhooks", "{\"url\":\"http://127.0.0.1:9/x\"}"));
        r.put("listWebhooks", new Rule(Role.READ, Scope.NONE, () -> "/webhooks", null));
        r.put("deleteWebhook", new Rule(Role.ADMIN, Scope.OWN_RESOURCE, () -> "/webhooks/" + freshWebhook(), null));
        r.put("webhookDeliveries", new Rule(Role.READ, Scope.OWN_RESOURCE, () -> "/webhooks/" + webhookA + "/deliveries", null));
        r.put("listNodes", new Rule(Role.ADMIN, Scope.NONE, () -> "/nodes", null));
        r.put("drainNode", new Rule(Role.ADMIN, Scope.NONE, () -> "/nodes/n1/drain", null));
        r.put("cordonNode", new Rule(Role.ADMIN, Scope.NONE, () -> "/nodes/n1/cordon", null));
        r.put("uncordonNode", new Rule(Role.ADMIN, Scope.NONE, () -> "/nodes/n1/uncordon", null));
        r.put("createKey", new Rule(Role.ADMIN, Scope.NONE, () -> "/admin/keys", "{\"tenant\":\"c\",\"roles\":[\"read\"]}"));
        r.put("listKeys", new Rule(Role.ADMIN, Scope.NONE, () -> "/admin/keys", null));
        r.put("revokeKey", new Rule(Role.ADMIN, Scope.NONE, () -> "/admin/keys/" + freshKey(), null));
        r.put("auditLog", new Rule(Role.ADMIN, Scope.NONE, () -> "/admin/audit", null));
        String job = "/agent/v1/jobs/0190a0b4-8f7e-7a1c-9d2e-3f4a5b6c7d8e";
        r.put("agentRegister", new Rule(Role.AGENT, Scope.NONE, () -> "/agent/v1/register",
                "{\"nodeId\":\"n2\",\"capabilities\":{\"cpus\":1,\"memoryBytes\":1}}"));
        r.put("agentClaim", new Rule(Role.AGENT, Scope.NONE, () -> "/agent/v1/claim", "{\"nodeId\":\"n2\",\"waitMs\":0}"));
        r.put("agentHeartbeat", new Rule(Role.AGENT, Scope.NONE, () -> job + "/heartbeat", "{}"));
        r.put("agentFile", new Rule(Role.AGENT, Scope.NONE, () -> job + "/files/0", null));
        r.put("agentGetCheckpoint", new Rule(Role.AGENT, Scope.NONE, () -> job + "/checkpoint", null));
        r.put("agentPutCheckpoint", new Rule(Role.AGENT, Scope.NONE, () -> job + "/checkpoint", "zip"));
        r.put("agentBaseModel", new Rule(Role.AGENT, Scope.NONE, () -> job + "/base-model", null));
        r.put("agentModel", new Rule(Role.AGENT, Scope.NONE, () -> job + "/model", null));
        r.put("agentPutArtifact", new Rule(Role.AGENT, Scope.NONE, () -> job + "/artifact", "zip"));
        r.put("agentComplete", new Rule(Role.AGENT, Scope.NONE, () -> job + "/complete", "{\"metrics\":{}}"));
        r.put("agentFail", new Rule(Role.AGENT, Scope.NONE, () -> job + "/fail", "{\"retryable\":true}"));
        return r;
    }

    @Test
    void everyRouteAnswersEveryCallerAsItShould() throws Exception {
        Map<String, String[]> operations = securedOperations();
        Map<String, Rule> rules = rules();
        assertEquals(operations.keySet(), rules.keySet(), "a rule for every secured operation in openapi.yaml");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Rule> e : rules.entrySet()) {
            String method = operations.get(e.getKey())[0];
            Rule rule = e.getValue();
            for (String caller : List.of("none", "revoked", "agent", "a-submit", "a-read", "a-admin", "b-admin")) {
                String key = switch (caller) {
                    case "none" -> null;
                    case "agent" -> Harness.AGENT_TOKEN;
                    default -> caller;
                };
                Set<Role> roles = switch (caller) {
                    case "none", "revoked" -> Set.of();
                    case "agent" -> EnumSet.of(Role.AGENT);
                    case "a-submit" -> EnumSet.of(Role.SUBMIT);
                    case "a-read" -> EnumSet.of(Role.READ);
                    default -> EnumSet.of(Role.ADMIN);
                };
                boolean permitted = roles.stream().anyMatch(r -> r.grants(rule.role()));
                int status = call(method, rule.path().get(), key, rule.body());
                String expected;
                boolean ok;
                if (key == null || caller.equals("revoked")) {
                    expected = "401";
                    ok = status == 401;
                } else if (!permitted) {
                    expected = "403";
                    ok = status == 403;
                } else if (caller.startsWith("b-") && rule.scope() == Scope.OWN_RESOURCE) {
                    expected = "404";
                    ok = status == 404;
                } else if (caller.startsWith("b-") && e.getKey().equals("submitJob")) {
                    expected = "400 (no such dataset for this tenant)";
                    ok = status == 400;
                } else if (rule.role() == Role.AGENT) {
                    expected = "allowed (the job or node may not exist)";
                    ok = status != 401 && status != 403 && status < 500;
                } else {
                    expected = "allowed";
                    ok = status != 401 && status != 403 && status != 404 && status < 500;
                }
                if (!ok) {
                    wrong.add(e.getKey() + " " + method + " by " + caller + ": " + status + ", expected " + expected);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** operationId -> {method, path} for every operation that needs a key. */
    static Map<String, String[]> securedOperations() throws Exception {
        Map<String, Object> doc = new Yaml().load(Files.readString(Standalone.ROOT.resolve(
                "scheduler/src/main/resources/openapi.yaml")));
        Map<String, String[]> ops = new TreeMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        paths.forEach((path, item) -> item.forEach((method, op) -> {
            if (op instanceof Map<?, ?> operation && !(operation.get("security") instanceof List<?> l && l.isEmpty())) {
                ops.put((String) operation.get("operationId"), new String[]{method.toUpperCase(), path});
            }
        }));
        return ops;
    }

    static int call(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(20));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        b.header("Cantor-Lease-Token", "1").header("Cantor-Checkpoint-Epoch", "1");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else if (body.equals("zip")) {
            b.header("Content-Type", "application/zip").method(method, HttpRequest.BodyPublishers.ofByteArray(new byte[]{1, 2}));
        } else if (body.equals("multipart")) {
            String boundary = "matrix-boundary";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"a.wav\"\r\n"
                    + "Content-Type: audio/wav\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] wav = Files.readAllBytes(Standalone.ROOT.resolve("samples/sample-0.wav"));
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            b.header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .method(method, HttpRequest.BodyPublishers.ofByteArrays(List.of(head, wav, tail)));
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<InputStream> r;
        try {
            r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.io.IOException e) {
            throw new java.io.IOException(method + " " + path + " (key " + key + ", body " + body + ") failed", e);
        }
        r.body().close(); // event streams stay open: the status is all this test needs
        return r.statusCode();
    }

    static String fresh(Supplier<String> make) {
        return make.get();
    }

    static String dataset() {
        try (Api api = new Api(node.baseUrl(), "a-admin")) {
            return dataset(api);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String dataset(Api api) throws Exception {
        var form = io.vertx.ext.web.multipart.MultipartForm.create().binaryFileUpload("audio", "a.wav",
                Standalone.ROOT.resolve("samples/sample-0.wav").toString(), "audio/wav");
        return Api.await(api.request(io.vertx.core.http.HttpMethod.POST, "/datasets").sendMultipartForm(form))
                .bodyAsJsonObject().getString("id");
    }

    static String job() {
        try (Api api = new Api(node.baseUrl(), "a-admin")) {
            return job(api);
        }
    }

    static String job(Api api) {
        return api.postJson("/model/train", new JsonObject().put("datasetId", datasetA)).bodyAsJsonObject().getString("id");
    }

    static String freshWebhook() {
        try (Api api = new Api(node.baseUrl(), "a-admin")) {
            return api.postJson("/webhooks", new JsonObject().put("url", "http://127.0.0.1:9/y")).bodyAsJsonObject().getString("id");
        }
    }

    static String freshKey() {
        try (Api api = new Api(node.baseUrl(), "a-admin")) {
            return api.postJson("/admin/keys", new JsonObject().put("tenant", "d").put("roles", new io.vertx.core.json.JsonArray().add("read")))
                    .bodyAsJsonObject().getString("id");
        }
    }
}
