package io.cantor.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.time.Duration;
import java.util.List;

/**
 * Scenario 4, no-op jobs end to end: {@code agentCount} simulated agents are registered and
 * long-polling; then the client submits {@code jobs} jobs with {@code concurrency} in flight while
 * the agents claim each, upload a tiny artifact and complete it. Jobs/s is {@code jobs} divided by
 * the time from the first submission to the last completion: the whole scheduler path (submit,
 * queue, dispatch, lease, blob write, completion, journal) under concurrent submit and claim load.
 * Also reports the scheduler and load-generator CPU per job.
 */
final class EndToEnd {
    private EndToEnd() {
    }

    record Result(double jobsPerSecond, int jobs, double seconds, double serverCpuMsPerJob, double clientCpuMsPerJob,
                  long notAccepted, String agentErrors) {
        @Override
        public String toString() {
            return String.format("%.0f jobs/s (%d jobs in %.2f s), server %.3f CPU ms/job, load generator %.3f CPU ms/job, "
                    + "%d submissions not 202 (retried), agent errors %s", jobsPerSecond, jobs, seconds, serverCpuMsPerJob,
                    clientCpuMsPerJob, notAccepted, agentErrors);
        }
    }

    static Result run(LoadClient load, SchedulerCluster cluster, String datasetId, int jobs, int agentCount,
                      int concurrency, Duration timeout) throws Exception {
        long[] lastCompletion = new long[1];
        int[] completed = new int[1];
        Promise<Void> allDone = Promise.promise();
        cluster.awaitQuiet(Duration.ofSeconds(10)); // nothing left over from an earlier run
        List<SimAgent> agents = SimAgent.startMany(load, cluster.port(0), "e2e-agent", agentCount, 20_000,
                new SimAgent.Listener() {
                    @Override
                    public void claimed(String jobId, long nanos) {
                    }

                    @Override
                    public void completed(String jobId, long nanos) {
                        if (++completed[0] == jobs) {
                            lastCompletion[0] = nanos;
                            allDone.tryComplete();
                        }
                    }
                });
        try (Submitter submitter = new Submitter(load, new int[] {cluster.port(0)}, datasetId, concurrency)) {
            Thread.sleep(300); // every agent is waiting in a long poll
            long server0 = cluster.cpuNanos();
            long client0 = LoadClient.ownCpuNanos();
            long t0 = System.nanoTime();
            Future<Void> submitted = submitter.submit(jobs);
            LoadClient.await(allDone.future(), timeout);
            long server = cluster.cpuNanos() - server0;
            long client = LoadClient.ownCpuNanos() - client0;
            LoadClient.await(submitted, Duration.ofSeconds(30));
            long end = load.call(() -> Future.succeededFuture(lastCompletion[0]), Duration.ofSeconds(10));
            double seconds = (end - t0) / 1e9;
            return new Result(jobs / seconds, jobs, seconds, server / 1e6 / jobs, client / 1e6 / jobs,
                    submitter.rejected.get() + submitter.failed.get(), SimAgent.errors(agents));
        } finally {
            SimAgent.stopAll(load, agents);
        }
    }
}
