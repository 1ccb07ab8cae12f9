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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Claim latency against queue length, and heap per queued job. Fills one scheduler node's queue
 * (journal on: H2 write-through) with n jobs from 50 tenants, then times claims through the
 * dispatcher: pick from the index + compare-and-set on the job + journal write. The queue is kept
 * at n by enqueueing one job per claim (untimed); leases last hours, so no claimed job goes back
 * to the queue meanwhile. The claim path does not scan the queue, so the latency at 1M queued
 * should stay within 2x of the latency at 1k.
 *
 * <p>One run of the latency figures is one round of {@link Plan#claimsPerRound} claims (after a
 * warm-up of {@value #WARMUP_CLAIMS} per fill), and several rounds share one filled queue: the queue is the same length before
 * every round, so a fresh fill would only repeat the (untimed) set-up. Heap per queued job is the
 * used heap after full GCs, after the fill minus before it, divided by n: one figure per fill.
 */
public final class ClaimScaleBenchmark {
    static final int TENANTS = 50;
    static final int WARMUP_CLAIMS = 2000;

    private ClaimScaleBenchmark() {
    }

    /** Sizes of a suite run: queue lengths, fills per length, timed rounds per fill, claims per round. */
    record Plan(List<Integer> sizes, int fills, int rounds, int claimsPerRound) {
        static Plan full() {
            return new Plan(List.of(1_000, 100_000, 1_000_000), 3, 3, 2000);
        }

        static Plan quick() {
            return new Plan(List.of(1_000, 100_000), 1, 1, 2000);
        }
    }

    /** One queue length's figures: a value per run (round or fill), and how long the fills took. */
    record SizeResult(int queued, List<Double> p50Us, List<Double> p99Us, List<Double> heapBytesPerJob,
                      List<Double> fillSeconds, double wallSeconds) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = args.length == 0 ? Plan.full().sizes()
                : java.util.Arrays.stream(args).map(Integer::parseInt).toList();
        Plan full = Plan.full();
        Plan plan = new Plan(sizes, full.fills(), full.rounds(), full.claimsPerRound());
        List<SizeResult> results = new ArrayList<>();
        for (int n : sizes) {
            results.add(run(n, plan));
        }
        System.out.println();
        System.out.println("Machine: " + Machine.describe());
        System.out.println(table(results));
        System.exit(0); // nothing of Vert.x or Hazelcast may keep the JVM up
    }

    /** {@code queued | claim p50 µs | claim p99 µs | heap per queued job | fill time}, each as median (min..max). */
    static String table(List<SizeResult> results) {
        StringBuilder md = new StringBuilder(
                "| queued jobs | claim p50 µs | claim p99 µs | heap per queued job, bytes | latency runs | fills | fill time, s |\n"
                        + "|---|---|---|---|---|---|---|\n");
        for (SizeResult r : results) {
            md.append(String.format("| %,d | %s | %s | %s | %d | %d | %s |%n", r.queued(), Stats.summary(r.p50Us(), "%.0f"),
                    Stats.summary(r.p99Us(), "%.0f"), Stats.summary(r.heapBytesPerJob(), "%.0f"), r.p50Us().size(),
                    r.heapBytesPerJob().size(), Stats.summary(r.fillSeconds(), "%.0f")));
        }
        return md.toString();
    }

    /** All fills and rounds for queue length {@code n}. Progress goes to stderr. */
    static SizeResult run(int n, Plan plan) throws Exception {
        long started = System.nanoTime();
        List<Double> p50s = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> fills = new ArrayList<>();
        for (int fill = 1; fill <= plan.fills(); fill++) {
            Path dir = Files.createTempDirectory("cantor-bench-claims");
            InstantSource clock = SchedulerNode.systemClock();
            SchedulerConfig config = SchedulerConfig.builder(dir).nodeName("bench").httpHost("127.0.0.1").httpPort(0)
                    .clusterName("bench-" + System.nanoTime()).hazelcastHost("127.0.0.1").httpInstances(1)
                    .heartbeatInterval(Duration.ofHours(1)).build();
            try (SchedulerNode node = SchedulerNode.start(config, clock)) {
                IMap<String, Job> jobs = node.hazelcast().getMap(HazelcastJobStore.MAP);
                Dispatcher dispatcher = node.services().dispatcher();
                long heapBefore = usedHeapAfterGc();
                long t0 = System.nanoTime();
                fill(jobs, n, clock);
                waitForIndex(dispatcher, n);
                double fillSeconds = (System.nanoTime() - t0) / 1e9;
                long heapAfter = usedHeapAfterGc();
                double heapPerJob = (heapAfter - heapBefore) / (double) n;
                fills.add(fillSeconds);
                heap.add(heapPerJob);
                progress(String.format("%,d queued, fill %d: filled in %.1f s, %.0f heap bytes per queued job", n, fill,
                        fillSeconds, heapPerJob));

                AgentNode agent = new AgentNode("bench-agent", new Capabilities(2, 1L << 30, List.of(), Map.of()),
                        NodeState.ACTIVE, false, "bench", Instant.now(), Instant.now());
                claims(dispatcher, jobs, agent, clock, WARMUP_CLAIMS);
                for (int round = 1; round <= plan.rounds(); round++) {
                    long r0 = System.nanoTime();
                    long[] nanos = claims(dispatcher, jobs, agent, clock, plan.claimsPerRound());
                    p50s.add(Stats.percentile(nanos, 50) / 1000.0);
                    p99s.add(Stats.percentile(nanos, 99) / 1000.0);
                    progress(String.format("%,d queued, fill %d, round %d: %,d claims, p50 %.0f µs, p99 %.0f µs (%.1f s with refills)",
                            n, fill, round, nanos.length, p50s.get(p50s.size() - 1), p99s.get(p99s.size() - 1),
                            (System.nanoTime() - r0) / 1e9));
                }
            } finally {
                deleteTree(dir);
            }
        }
        return new SizeResult(n, p50s, p99s, heap, fills, (System.nanoTime() - started) / 1e9);
    }

    private static final long STARTED = System.nanoTime();

    static void progress(String line) {
        System.err.printf("[claim-scale %6.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9, line);
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

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temporary folder: best effort
        }
    }
}
