package io.cantor.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code java -jar benchmarks/target/cantor-benchmarks.jar http [--quick] [--out FILE]}: the HTTP
 * load benchmarks against scheduler nodes running as separate processes (see
 * {@link SchedulerCluster}). Runs the five scenarios three times each (once, with smaller sizes,
 * under {@code --quick}) and prints a Markdown section ({@link #httpSection}); {@code --out} also
 * writes it to a file.
 */
public final class HttpBenchmarks {
    private HttpBenchmarks() {
    }

    /**
     * Sizes of one suite run. {@code submitOnSharedNode}: the single-node submit run reuses the
     * cluster of scenarios 2-4, after them, instead of a fresh one per run (saves a start in the
     * smoke test).
     */
    record Plan(int runs, Duration submitWarmup, Duration submitMeasured, int submitConcurrency, boolean submitOnSharedNode,
                int latencyAgents, int latencyRate, Duration latencyWarmup, Duration latencyMeasured,
                int claimJobs, int claimAgents, Duration claimWindow,
                int e2eJobs, int e2eAgents, int e2eConcurrency) {
        static Plan full() {
            return new Plan(3, Duration.ofSeconds(5), Duration.ofSeconds(20), 64, false, 8, 50, Duration.ofSeconds(5),
                    Duration.ofSeconds(20), 20_000, 16, Duration.ofSeconds(20), 20_000, 16, 64);
        }

        static Plan quick() {
            return new Plan(1, Duration.ofSeconds(1), Duration.ofSeconds(3), 64, true, 8, 50, Duration.ofSeconds(1),
                    Duration.ofSeconds(3), 1_000, 16, Duration.ofSeconds(20), 1_000, 16, 64);
        }
    }

    /** Names for {@code --only}: 1 node and 3 nodes submit throughput, then scenarios 2 to 5. */
    static final List<String> SCENARIOS = List.of("submit", "submit3", "latency", "claim", "e2e", "requeue");

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = null;
        Set<String> only = new LinkedHashSet<>(SCENARIOS);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> {
                    if (i + 1 >= args.length) {
                        usage("--out needs a file");
                    }
                    out = Path.of(args[++i]);
                }
                case "--only" -> {
                    if (i + 1 >= args.length) {
                        usage("--only needs a list of scenarios");
                    }
                    only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                    if (!SCENARIOS.containsAll(only)) {
                        usage("--only takes some of " + String.join(",", SCENARIOS));
                    }
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        String command = "java -jar benchmarks/target/cantor-benchmarks.jar http" + (args.length == 0 ? "" : " " + String.join(" ", args));
        RunInfo.Started started = RunInfo.start(command, null);
        Outcome outcome = run(quick ? Plan.quick() : Plan.full(), only);
        String section = httpSection(outcome.figures(), outcome.failures(), started.finish());
        System.out.println();
        System.out.println(section);
        if (out != null) {
            Files.writeString(out, section, StandardCharsets.UTF_8);
            System.err.println("wrote " + out);
        }
        System.exit(outcome.failures().isEmpty() ? 0 : 1); // nothing of Vert.x may keep the JVM up
    }

    private static void usage(String problem) {
        System.err.println("cantor benchmarks http: " + problem);
        System.err.println("usage: java -jar benchmarks/target/cantor-benchmarks.jar http [--quick] [--out FILE] "
                + "[--only " + String.join(",", SCENARIOS) + "]");
        System.exit(2);
    }

    /** Runs every scenario {@code plan.runs()} times; answers the table's rows. Progress goes to stderr. */
    static Outcome run(Plan plan, Set<String> only) throws Exception {
        String inFlight = plan.submitConcurrency() + " in flight";
        Figure submit1 = new Figure("Submissions/s, 1 node (JSON, " + inFlight + ", 202s only, "
                + plan.submitMeasured().toSeconds() + " s window" + (plan.submitOnSharedNode()
                ? "; on the node of the latency/claim/end-to-end runs, after them)" : ")"), "%.0f")
                .target("≥ 10,000", v -> v >= 10_000).anchors(Anchors.SUBMIT_1);
        Figure other1 = new Figure("Non-202 answers in the window, 1 node", "%.0f").target("0", v -> v == 0);
        Figure cpu1 = new Figure("Server CPU ms per submission, 1 node", "%.3f");
        Figure client1 = new Figure("Load generator CPU ms per submission, 1 node", "%.3f");
        Figure submit3 = new Figure("Submissions/s, 3 clustered nodes (round-robin, " + inFlight + ")", "%.0f")
                .target("≥ 5,000", v -> v >= 5_000).anchors(Anchors.SUBMIT_3);
        Figure other3 = new Figure("Non-202 answers in the window, 3 nodes", "%.0f").target("0", v -> v == 0);
        Figure cpu3 = new Figure("Server CPU ms per submission, 3 nodes (all three processes)", "%.3f");
        Figure client3 = new Figure("Load generator CPU ms per submission, 3 nodes", "%.3f");
        Figure p50 = new Figure("Submit→claim latency p50, ms (" + plan.latencyAgents() + " agents long-polling, "
                + plan.latencyRate() + " submissions/s)", "%.2f");
        Figure p99 = new Figure("Submit→claim latency p99, ms", "%.2f").target("≤ 50", v -> v <= 50);
        Figure claims = new Figure(String.format("Claims/s (%,d queued, %d agents claim+artifact+complete)",
                plan.claimJobs(), plan.claimAgents()), "%.0f").anchors(Anchors.CLAIMS);
        Figure completes = new Figure("Completes/s (same run)", "%.0f");
        Figure e2e = new Figure(String.format("End-to-end no-op jobs/s (%,d jobs, %d in flight, %d agents)",
                plan.e2eJobs(), plan.e2eConcurrency(), plan.e2eAgents()), "%.0f").target("≥ 2,000", v -> v >= 2000)
                .anchors(Anchors.END_TO_END);
        Figure e2eCpu = new Figure("Server CPU ms per end-to-end job", "%.3f");
        Figure requeue = new Figure("Requeue delay after an agent dies, s (--heartbeat-seconds 1, lease = 4 heartbeats)", "%.2f");
        List<Figure> figures = List.of(submit1, other1, cpu1, client1, submit3, other3, cpu3, client3, p50, p99,
                claims, completes, e2e, e2eCpu, requeue);

        List<String> failures = new ArrayList<>();
        try (LoadClient load = new LoadClient()) {
            // 1. A fresh cluster per run: the queue only grows here.
            for (int nodes : new int[] {1, 3}) {
                boolean shared = nodes == 1 && plan.submitOnSharedNode();
                for (int run = 1; run <= plan.runs() && only.contains(nodes == 1 ? "submit" : "submit3") && !shared; run++) {
                    int n = nodes;
                    attempt(failures, "submit throughput, " + nodes + " node(s), run " + run, () -> {
                        SubmitThroughput.Result r = SubmitThroughput.run(load, n, plan.submitConcurrency(),
                                plan.submitWarmup(), plan.submitMeasured());
                        (n == 1 ? submit1 : submit3).add(r.submitsPerSecond());
                        (n == 1 ? other1 : other3).add(r.notAccepted());
                        (n == 1 ? cpu1 : cpu3).add(r.serverCpuMsPerSubmit());
                        (n == 1 ? client1 : client3).add(r.clientCpuMsPerSubmit());
                        return r;
                    });
                }
            }
            // 2-4 share one single-node cluster: each leaves the queue empty behind it. A failed
            // run may leave jobs behind, so the next run gets a fresh cluster.
            try (Shared shared = new Shared(load, 5)) {
                for (int run = 1; run <= plan.runs() && only.contains("latency"); run++) {
                    attempt(failures, "submit->claim latency, run " + run, shared, () -> {
                        SubmitToClaimLatency.Result r = SubmitToClaimLatency.run(load, shared.cluster(), shared.dataset(),
                                plan.latencyAgents(), plan.latencyRate(), plan.latencyWarmup(), plan.latencyMeasured());
                        p50.add(r.p50Ms());
                        p99.add(r.p99Ms());
                        return r;
                    });
                }
                for (int run = 1; run <= plan.runs() && only.contains("claim"); run++) {
                    attempt(failures, "claim throughput, run " + run, shared, () -> {
                        ClaimThroughput.Result r = ClaimThroughput.run(load, shared.cluster(), shared.dataset(),
                                plan.claimJobs(), plan.claimAgents(), plan.claimWindow());
                        claims.add(r.claimsPerSecond());
                        completes.add(r.completesPerSecond());
                        return r;
                    });
                }
                for (int run = 1; run <= plan.runs() && only.contains("e2e"); run++) {
                    attempt(failures, "end to end, run " + run, shared, () -> {
                        EndToEnd.Result r = EndToEnd.run(load, shared.cluster(), shared.dataset(), plan.e2eJobs(),
                                plan.e2eAgents(), plan.e2eConcurrency(), Duration.ofMinutes(5));
                        e2e.add(r.jobsPerSecond());
                        e2eCpu.add(r.serverCpuMsPerJob());
                        return r;
                    });
                }
                // Submissions leave jobs queued, so this comes after everything else on the node.
                for (int run = 1; run <= plan.runs() && only.contains("submit") && plan.submitOnSharedNode(); run++) {
                    attempt(failures, "submit throughput, 1 node(s), run " + run, shared, () -> {
                        double idle = shared.cluster().awaitQuiet(Duration.ofSeconds(10));
                        SubmitThroughput.Result r = SubmitThroughput.measure(load, shared.cluster(), shared.dataset(),
                                plan.submitConcurrency(), plan.submitWarmup(), plan.submitMeasured()).withIdleCores(idle);
                        submit1.add(r.submitsPerSecond());
                        other1.add(r.notAccepted());
                        cpu1.add(r.serverCpuMsPerSubmit());
                        client1.add(r.clientCpuMsPerSubmit());
                        return r;
                    });
                }
            }
            // 5. Its own cluster with a one-second heartbeat.
            try (Shared shared = new Shared(load, 1)) {
                for (int run = 1; run <= plan.runs() && only.contains("requeue"); run++) {
                    attempt(failures, "requeue delay, run " + run, shared, () -> {
                        RequeueDelay.Result r = RequeueDelay.run(load, shared.cluster(), shared.dataset());
                        requeue.add(r.delaySeconds());
                        return r;
                    });
                }
            }
        }
        return new Outcome(figures, failures);
    }

    /** The table's rows, and the runs that failed (named, with their error). */
    record Outcome(List<Figure> figures, List<String> failures) {
    }

    private interface Scenario {
        Object run() throws Exception;
    }

    private static void attempt(List<String> failures, String name, Scenario scenario) {
        attempt(failures, name, null, scenario);
    }

    private static final long STARTED = System.nanoTime();

    /** A progress line on stderr, with the seconds since the suite started. */
    static void progress(String line) {
        System.err.printf("[http %6.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9, line);
    }

    private static void attempt(List<String> failures, String name, Shared shared, Scenario scenario) {
        try {
            progress(name + ": " + scenario.run());
        } catch (Exception e) {
            progress(name + " FAILED: " + e);
            e.printStackTrace();
            failures.add(name + ": " + e);
            if (shared != null) {
                shared.discard();
            }
        }
    }

    /** A single-node cluster with the dataset uploaded, started on first use, shared by several runs. */
    private static final class Shared implements AutoCloseable {
        private final LoadClient load;
        private final double heartbeatSeconds;
        private SchedulerCluster cluster;
        private String dataset;

        Shared(LoadClient load, double heartbeatSeconds) {
            this.load = load;
            this.heartbeatSeconds = heartbeatSeconds;
        }

        SchedulerCluster cluster() throws Exception {
            if (cluster == null) {
                cluster = SchedulerCluster.start(load, 1, heartbeatSeconds);
                dataset = cluster.uploadDataset(load);
                cluster.awaitQuiet(Duration.ofSeconds(15));
            }
            return cluster;
        }

        String dataset() throws Exception {
            cluster();
            return dataset;
        }

        void discard() {
            if (cluster != null) {
                cluster.close();
                cluster = null;
            }
        }

        @Override
        public void close() {
            discard();
        }
    }


    /**
     * The Markdown section: a heading, how and where it was measured ({@link RunInfo#markdown()}),
     * and the table {@code figure | median (min..max) | target | runs}, then any failed runs. A
     * figure with no runs is left out.
     */
    static String httpSection(List<Figure> figures, List<String> failures, RunInfo info) {
        StringBuilder md = new StringBuilder();
        md.append("## HTTP load (scheduler as separate processes)\n\n");
        md.append(info.markdown());
        md.append("- Scheduler nodes run as child processes (`java -Xmx2g -jar scheduler/target/cantor-scheduler.jar`), ")
                .append("with submit rate and queue limits lifted; the load generator is one Vert.x event loop on the ")
                .append("same machine, over keep-alive HTTP/1.1. Simulated agents speak `/agent/v1` and upload a tiny ")
                .append("zip instead of training. CPU figures are the processes' own CPU time in the measured window.\n\n");
        md.append("| figure | median (min..max) | target | runs |\n|---|---|---|---|\n");
        for (Figure f : figures) {
            if (f.runs().isEmpty()) {
                continue;
            }
            String target = f.target().isEmpty() ? "—" : f.target();
            if (f.met() != null) {
                target += f.verdict() == Figure.Verdict.MET ? " (met)" : " (not met)";
            }
            md.append("| ").append(f.name()).append(" | ").append(Stats.summary(f.runs(), f.format())).append(" | ")
                    .append(target).append(" | ").append(f.runs().size()).append(" |\n");
        }
        if (!failures.isEmpty()) {
            md.append("\nFailed runs (not in the table):\n\n");
            failures.forEach(f -> md.append("- ").append(f).append('\n'));
        }
        return md.toString();
    }
}
