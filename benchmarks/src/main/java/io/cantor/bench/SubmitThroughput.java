package io.cantor.bench;

import java.time.Duration;

/**
 * Scenario 1, submission throughput: JSON submissions ({@code POST /model/train {"datasetId"}})
 * with {@code concurrency} requests always in flight over keep-alive connections, spread
 * round-robin over every node of the cluster. After a warm-up, counts the 202 answers in the
 * measured window (anything else is counted apart and reported, never as throughput), and the CPU
 * the scheduler processes and the load generator spent in that window. On a shared, noisy machine
 * the server CPU per submission is the steadier figure; submissions/s is bounded by the cores the
 * scheduler gets.
 */
final class SubmitThroughput {
    private SubmitThroughput() {
    }

    /** {@code serverIdleCores}: what the scheduler processes used before the run, idle (NaN: not measured). */
    record Result(int nodes, double submitsPerSecond, long accepted, long notAccepted, String notAcceptedByStatus,
                  double serverCpuMsPerSubmit, double clientCpuMsPerSubmit, double serverIdleCores) {
        Result withIdleCores(double cores) {
            return new Result(nodes, submitsPerSecond, accepted, notAccepted, notAcceptedByStatus, serverCpuMsPerSubmit,
                    clientCpuMsPerSubmit, cores);
        }

        @Override
        public String toString() {
            return String.format("%d node(s): %.0f submissions/s (%d accepted, %d not 202; whole run incl. warm-up by status: %s), "
                    + "server %.3f CPU ms/submission (%.2f cores when idle before), load generator %.3f CPU ms/submission",
                    nodes, submitsPerSecond, accepted, notAccepted, notAcceptedByStatus, serverCpuMsPerSubmit, serverIdleCores,
                    clientCpuMsPerSubmit);
        }
    }

    /** Starts a fresh {@code nodes}-node cluster, uploads the dataset, measures once, stops the cluster. */
    static Result run(LoadClient load, int nodes, int concurrency, Duration warmup, Duration measured) throws Exception {
        try (SchedulerCluster cluster = SchedulerCluster.start(load, nodes, 5)) {
            String dataset = cluster.uploadDataset(load);
            double idle = cluster.awaitQuiet(Duration.ofSeconds(15)); // JIT, partition migration: not in the warm-up
            return measure(load, cluster, dataset, concurrency, warmup, measured).withIdleCores(idle);
        }
    }

    static Result measure(LoadClient load, SchedulerCluster cluster, String datasetId, int concurrency, Duration warmup,
                          Duration measured) throws Exception {
        try (Submitter submitter = new Submitter(load, cluster.httpPorts(), datasetId, concurrency)) {
            var finished = submitter.start();
            Thread.sleep(warmup.toMillis());
            long accepted0 = submitter.accepted.get();
            long other0 = submitter.rejected.get() + submitter.failed.get();
            long server0 = cluster.cpuNanos();
            long client0 = LoadClient.ownCpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(measured.toMillis());
            long accepted = submitter.accepted.get() - accepted0;
            long other = submitter.rejected.get() + submitter.failed.get() - other0;
            long nanos = System.nanoTime() - t0;
            long server = cluster.cpuNanos() - server0;
            long client = LoadClient.ownCpuNanos() - client0;
            submitter.stop();
            LoadClient.await(finished, Duration.ofSeconds(60));
            double perSecond = accepted / (nanos / 1e9);
            return new Result(cluster.size(), perSecond, accepted, other, submitter.rejectedByStatus(),
                    server / 1e6 / Math.max(1, accepted), client / 1e6 / Math.max(1, accepted), Double.NaN);
        }
    }
}
