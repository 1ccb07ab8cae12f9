package io.cantor.system;

import io.cantor.agent.AgentMain;
import io.cantor.scheduler.SchedulerMain;
import io.cantor.scheduler.api.ApiRouter;
import io.cantor.scheduler.config.SchedulerConfig;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deploy files must agree with the code: flags, environment variables, ports, probes, jars. */
class DeployManifestsTest {
    static final Path DEPLOY = Standalone.ROOT.resolve("deploy");
    static final Set<String> SCHEDULER_FLAGS = union(SchedulerMain.FLAGS, SchedulerMain.SWITCHES);

    @Test
    void kubernetesManifestsMatchTheCode() throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (var files = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(f))) {
                    if (doc != null) {
                        docs.add(map(doc));
                    }
                }
            }
        }
        Map<String, Object> statefulSet = kind(docs, "StatefulSet");
        Map<String, Object> scheduler = container(statefulSet);
        checkArgs(scheduler, SCHEDULER_FLAGS);
        checkEnv(scheduler, SchedulerMain.ENVIRONMENT);
        assertEquals(Set.of(SchedulerConfig.DEFAULT_HTTP_PORT, SchedulerConfig.DEFAULT_HAZELCAST_PORT), ports(scheduler));
        assertEquals(ApiRouter.READY, path(scheduler, "readinessProbe"));
        assertEquals(ApiRouter.LIVE, path(scheduler, "livenessProbe"));
        assertEquals(SchedulerConfig.DEFAULT_HTTP_PORT, map(map(scheduler.get("readinessProbe")).get("httpGet")).get("port"));

        Map<String, Object> headless = service(docs, "cantor-scheduler-hs");
        assertEquals(true, map(headless.get("spec")).get("publishNotReadyAddresses"), "members find each other while starting");
        assertEquals(List.of(SchedulerConfig.DEFAULT_HAZELCAST_PORT), servicePorts(headless));
        assertEquals(List.of(SchedulerConfig.DEFAULT_HTTP_PORT), servicePorts(service(docs, "cantor-scheduler")));
        String dns = envValue(scheduler, "CANTOR_KUBERNETES_SERVICE");
        assertTrue(dns.startsWith("cantor-scheduler-hs."), "Hazelcast discovers members through the headless service: " + dns);

        Map<String, Object> deployment = kind(docs, "Deployment");
        Map<String, Object> agent = container(deployment);
        checkArgs(agent, AgentMain.FLAGS);
        checkEnv(agent, AgentMain.ENVIRONMENT);
        assertEquals(Set.of(AgentMain.DEFAULT_METRICS_PORT), ports(agent));
        assertEquals("/health/live", path(agent, "livenessProbe"));
        assertTrue(map(map(agent.get("resources")).get("limits")).containsKey("nvidia.com/gpu"), "agents request GPUs");
        int drain = Integer.parseInt(argAfter(agent, "--drain-seconds"));
        int grace = (Integer) map(map(map(deployment.get("spec")).get("template")).get("spec")).get("terminationGracePeriodSeconds");
        assertTrue(grace > drain, "the pod outlives the agent's drain: " + grace + " > " + drain);
    }

    @Test
    void composeMatchesTheCode() throws IOException {
        Map<String, Object> compose = map(new Yaml().load(Files.readString(DEPLOY.resolve("compose/compose.yaml"))));
        Map<String, Object> services = map(compose.get("services"));
        int schedulers = 0;
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Map<String, Object> service = map(e.getValue());
            String dockerfile = service.containsKey("build") ? String.valueOf(map(service.get("build")).get("dockerfile")) : "";
            if (dockerfile.endsWith("scheduler.Dockerfile")) {
                schedulers++;
                checkFlags(strings(service.get("command")), SCHEDULER_FLAGS);
                assertTrue(SchedulerMain.ENVIRONMENT.containsAll(map(service.get("environment")).keySet()),
                        e.getKey() + " uses only variables the scheduler reads");
                assertTrue(String.valueOf(map(service.get("healthcheck")).get("test")).contains(ApiRouter.READY));
            } else if (dockerfile.contains("agent")) {
                checkFlags(strings(service.get("command")), AgentMain.FLAGS);
                assertTrue(AgentMain.ENVIRONMENT.containsAll(map(service.get("environment")).keySet()), e.getKey());
            }
        }
        assertEquals(3, schedulers, "three schedulers");
        String members = String.valueOf(map(map(services.get("scheduler-1")).get("environment")).get("CANTOR_MEMBERS"));
        assertEquals(3, members.split(",").length);
        assertTrue(members.contains(":" + SchedulerConfig.DEFAULT_HAZELCAST_PORT));
    }

    @Test
    void imagesRunTheJarsTheBuildMakes() throws IOException {
        String scheduler = Files.readString(DEPLOY.resolve("docker/scheduler.Dockerfile"));
        assertTrue(scheduler.contains("cantor-scheduler.jar"));
        assertTrue(scheduler.matches("(?s).*EXPOSE\\s+8080\\s+5701.*"), "scheduler ports");
        assertTrue(scheduler.contains("--add-opens java.base/java.lang=ALL-UNNAMED") || scheduler.contains("java.base/java.lang=ALL-UNNAMED"));
        for (String agentFile : List.of("agent.Dockerfile", "agent-gpu.Dockerfile")) {
            String agent = Files.readString(DEPLOY.resolve("docker/" + agentFile));
            assertTrue(agent.contains("cantor-agent.jar"), agentFile);
            assertTrue(agent.contains("EXPOSE 9101"), agentFile);
            assertTrue(agent.contains("-Dai.djl.offline=true"), agentFile);
        }
        String gpu = Files.readString(DEPLOY.resolve("docker/agent-gpu.Dockerfile"));
        for (String env : List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION=2.7.1", "PYTORCH_FLAVOR=cu128")) {
            assertTrue(gpu.contains(env), env);
        }
        String prometheus = Files.readString(DEPLOY.resolve("prometheus/prometheus.yml"));
        assertTrue(prometheus.contains(":" + SchedulerConfig.DEFAULT_HTTP_PORT) && prometheus.contains(":" + AgentMain.DEFAULT_METRICS_PORT));
    }

    private static void checkArgs(Map<String, Object> container, Set<String> known) {
        List<String> args = new ArrayList<>(strings(container.get("args")));
        args.addAll(strings(container.get("command")));
        checkFlags(args, known);
    }

    private static void checkFlags(List<String> args, Set<String> known) {
        Set<String> unknown = new TreeSet<>();
        for (String a : args) {
            if (a.startsWith("--")) {
                String flag = a.substring(2).split("=")[0];
                if (!known.contains(flag)) {
                    unknown.add(flag);
                }
            }
        }
        assertEquals(Set.of(), unknown, "flags the program does not know");
    }

    private static void checkEnv(Map<String, Object> container, Set<String> known) {
        Set<String> unknown = new TreeSet<>();
        for (Object e : (List<?>) container.getOrDefault("env", List.of())) {
            String name = String.valueOf(map(e).get("name"));
            if (name.startsWith("CANTOR_") && !known.contains(name)) {
                unknown.add(name);
            }
        }
        assertEquals(Set.of(), unknown, "variables the program does not read");
    }

    private static String envValue(Map<String, Object> container, String name) {
        for (Object e : (List<?>) container.get("env")) {
            if (name.equals(map(e).get("name"))) {
                return String.valueOf(map(e).get("value"));
            }
        }
        throw new AssertionError("no " + name);
    }

    private static String argAfter(Map<String, Object> container, String flag) {
        List<String> args = strings(container.get("args"));
        return args.get(args.indexOf(flag) + 1);
    }

    private static Set<Integer> ports(Map<String, Object> container) {
        Set<Integer> ports = new TreeSet<>();
        for (Object p : (List<?>) container.get("ports")) {
            ports.add((Integer) map(p).get("containerPort"));
        }
        return ports;
    }

    private static List<Integer> servicePorts(Map<String, Object> service) {
        List<Integer> ports = new ArrayList<>();
        for (Object p : (List<?>) map(service.get("spec")).get("ports")) {
            Object target = map(p).getOrDefault("targetPort", map(p).get("port"));
            ports.add(target instanceof Integer i ? i : (Integer) map(p).get("port"));
        }
        return ports;
    }

    private static String path(Map<String, Object> container, String probe) {
        return String.valueOf(map(map(container.get(probe)).get("httpGet")).get("path"));
    }

    private static Map<String, Object> kind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow(() -> new AssertionError("no " + kind));
    }

    private static Map<String, Object> service(List<Map<String, Object>> docs, String name) {
        return docs.stream().filter(d -> "Service".equals(d.get("kind")) && name.equals(map(d.get("metadata")).get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no Service " + name));
    }

    private static Map<String, Object> container(Map<String, Object> workload) {
        List<?> containers = (List<?>) map(map(map(workload.get("spec")).get("template")).get("spec")).get("containers");
        return map(containers.get(0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private static List<String> strings(Object o) {
        List<String> list = new ArrayList<>();
        if (o instanceof List<?> l) {
            l.forEach(x -> list.add(String.valueOf(x)));
        } else if (o instanceof String s) {
            Matcher m = Pattern.compile("\\S+").matcher(s);
            while (m.find()) {
                list.add(m.group());
            }
        }
        return list;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
