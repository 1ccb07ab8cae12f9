package io.cantor.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Scenario 3, claim throughput from a full queue: {@code jobs} jobs are submitted first (untimed,
 * 64 in flight), then {@code agentCount} simulated agents claim, upload a tiny artifact and
 * complete as fast as they can, one job at a time each. Claims/s is the claims handed out divided by
 * the time from the agents' start to the last claim (the queue is empty then); completes/s likewise
 * up to the last completion. If the queue is not empty after {@code window}, both are taken over
 * the window instead (and the agents drain the rest untimed). Also reports the scheduler CPU per
 * job (claim + artifact + complete) over the timed part.
 */
final class ClaimThroughput {
    private ClaimThroughput() {
    }

    record Result(double claimsPerSecond, double completesPerSecond, long claims, long completes, double seconds,
                  boolean drainedInWindow, double lastClaimSeconds, double drainSeconds, double serverCpuMsPerJob,
                  String agentErrors) {
        @Override
        public String toString() {
            return String.format("%.0f claims/s, %.0f completes/s (%d claims, %d completes in %.2f s; %s; last claim at %.2f s, "
                            + "queue empty at %.2f s), server %.3f CPU ms/job, agent errors %s", claimsPerSecond,
                    completesPerSecond, claims, completes, seconds,
                    drainedInWindow ? "queue drained in the window" : "window ended before the queue was empty",
                    lastClaimSeconds, drainSeconds, serverCpuMsPerJob, agentErrors);
        }
    }

    static Result run(LoadClient load, SchedulerCluster cluster, String datasetId, int jobs, int agentCount,
                      Duration window) throws Exception {
        try (Submitter submitter = new Submitter(load, new int[] {cluster.port(0)}, datasetId, 64)) {
            LoadClient.await(submitter.submit(jobs), Duration.ofMinutes(10));
        }
        cluster.awaitQuiet(Duration.ofSeconds(15)); // the journal catches up with the bulk load, untimed
        long[] last = new long[2]; // last claim, last completion (event loop)
        long[] counts = new long[2];
        Promise<Void> drained = Promise.promise();
        List<SimAgent> agents = SimAgent.registerMany(load, cluster.port(0), "claim-agent", agentCount, 20_000);
        try {
            long server0 = cluster.cpuNanos();
            long t0 = System.nanoTime();
            SimAgent.startAll(load, agents, new SimAgent.Listener() {
                @Override
                public void claimed(String jobId, long nanos) {
                    counts[0]++;
                    last[0] = nanos;
                }

                @Override
                public void completed(String jobId, long nanos) {
                    if (++counts[1] == jobs) {
                        last[1] = nanos;
                        drained.tryComplete();
                    }
                }
            });
            boolean inWindow;
            try {
                LoadClient.await(drained.future(), window);
                inWindow = true;
            } catch (TimeoutException e) {
                inWindow = false;
            }
            long end = System.nanoTime();
            long server = cluster.cpuNanos() - server0;
            long[] snapshot = load.call(() -> Future.succeededFuture(new long[] {counts[0], counts[1], last[0], last[1]}),
                    Duration.ofSeconds(10));
            if (!inWindow) {
                LoadClient.await(drained.future(), Duration.ofMinutes(5)); // leave the queue empty for the next scenario
            }
            long emptyAt = load.call(() -> Future.succeededFuture(last[1]), Duration.ofSeconds(10));
            double claimSeconds = ((inWindow ? snapshot[2] : end) - t0) / 1e9;
            double completeSeconds = ((inWindow ? snapshot[3] : end) - t0) / 1e9;
            return new Result(snapshot[0] / claimSeconds, snapshot[1] / completeSeconds, snapshot[0], snapshot[1],
                    completeSeconds, inWindow, (snapshot[2] - t0) / 1e9, (emptyAt - t0) / 1e9,
                    server / 1e6 / Math.max(1, snapshot[1]), SimAgent.errors(agents));
        } finally {
            SimAgent.stopAll(load, agents);
        }
    }
}
