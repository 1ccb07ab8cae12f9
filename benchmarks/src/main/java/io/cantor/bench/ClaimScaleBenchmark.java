package io.cantor.bench;

import com.hazelcast.map.IMap;
import io.cantor.model.AgentNode;
import io.cantor.model.Ids;
import io.cantor.model.Job;
import io.cantor.model.JobSpec;
import io.cantor.model.NodeState;
import io.cantor.model.ResourceRequest;
import io.cantor.model.TrainingParams;
import io.cantor.model.agent.Capabilities;
import io.cantor.scheduler.SchedulerNode;
import io.cantor.scheduler.config.SchedulerConfig;
import io.cantor.scheduler.queue.Dispatcher;
import io.cantor.scheduler.store.hazelcast.HazelcastJobStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Claim latency against queue length, and heap per queued job. Fills one scheduler node's queue
 * (journal on: H2 write-through) with n jobs from 50 tenants, then times claims through the
 * dispatcher: pick from the index + compare-and-set on the job + journal write. The queue is kept
 * at n by enqueueing one job per claim (untimed). The claim path does not scan the queue, so the
 * latency at 1M queued should stay within 2x of the latency at 1k.
 */
public final class ClaimScaleBenchmark {
    static final int TENANTS = 50;
    static final int CLAIMS_PER_ROUND = 2000;
    static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = args.length == 0 ? List.of(1_000, 100_000, 1_000_000)
                : java.util.Arrays.stream(args).map(Integer::parseInt).toList();
        StringBuilder report = new StringBuilder();
        report.append("| queued jobs | claim p50 µs | claim p99 µs | heap per queued job (bytes) |\n|---|---|---|---|\n");
        for (int n : sizes) {
            report.append(run(n)).append('\n');
        }
        System.out.println();
        System.out.println("Machine: " + Stats.machine());
        System.out.println(report);
    }

    static String run(int n) throws Exception {
        Path dir = Files.createTempDirectory("cantor-bench-claims");
        InstantSource clock = SchedulerNode.systemClock();
        SchedulerConfig config = SchedulerConfig.builder(dir).nodeName("bench").httpHost("127.0.0.1").httpPort(0)
                .clusterName("bench-" + System.nanoTime()).hazelcastHost("127.0.0.1").httpInstances(1).build();
        try (SchedulerNode node = SchedulerNode.start(config, clock)) {
            IMap<String, Job> jobs = node.hazelcast().getMap(HazelcastJobStore.MAP);
            Dispatcher dispatcher = node.services().dispatcher();
            long heapBefore = usedHeapAfterGc();
            fill(jobs, n, clock);
            waitForIndex(dispatcher, n);
            long heapAfter = usedHeapAfterGc();
            double heapPerJob = (heapAfter - heapBefore) / (double) n;

            AgentNode agent = new AgentNode("bench-agent", new Capabilities(2, 1L << 30, List.of(), Map.of()),
                    NodeState.ACTIVE, false, "bench", Instant.now(), Instant.now());
            List<Double> p50s = new ArrayList<>();
            List<Double> p99s = new ArrayList<>();
            claims(dispatcher, jobs, agent, clock, 500); // warm-up
            for (int round = 0; round < ROUNDS; round++) {
                long[] nanos = claims(dispatcher, jobs, agent, clock, CLAIMS_PER_ROUND);
                p50s.add(Stats.percentile(nanos, 50) / 1000.0);
                p99s.add(Stats.percentile(nanos, 99) / 1000.0);
            }
            String row = String.format("| %,d | %s | %s | %.0f |", n, Stats.summary(p50s, "%.0f"),
                    Stats.summary(p99s, "%.0f"), heapPerJob);
            System.out.println(row);
            return row;
        }
    }

    private static long[] claims(Dispatcher dispatcher, IMap<String, Job> jobs, AgentNode agent, InstantSource clock,
                                 int count) throws Exception {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Job claimed = await(dispatcher.claim(agent, List.of(), Duration.ZERO, Promise.<Void>promise().future()))
                    .orElseThrow(() -> new IllegalStateException("queue ran dry"));
            nanos[i] = System.nanoTime() - start;
            if (claimed == null) {
                throw new IllegalStateException();
            }
            Job refill = newJob(clock, i);
            jobs.set(refill.id(), refill); // keep the queue length constant (untimed)
        }
        return nanos;
    }

    private static void fill(IMap<String, Job> jobs, int n, InstantSource clock) {
        Map<String, Job> batch = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Job job = newJob(clock, i);
            batch.put(job.id(), job);
            if (batch.size() == 1000) {
                jobs.putAll(batch);
                batch.clear();
            }
        }
        jobs.putAll(batch);
    }

    static Job newJob(InstantSource clock, int i) {
        return Job.submitted(Ids.newId(clock), "tenant-" + (i % TENANTS),
                JobSpec.training(Ids.newId(clock), TrainingParams.DEFAULTS, i % 3, ResourceRequest.ANY), clock.instant());
    }

    private static void waitForIndex(Dispatcher dispatcher, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (await(dispatcher.withIndex(i -> i.size())) < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("index never reached " + n);
            }
            Thread.sleep(200);
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
