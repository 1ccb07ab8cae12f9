package io.cantor.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;

import java.time.Duration;
import java.util.UUID;

/**
 * Scenario 5, requeue delay after an agent dies: on a scheduler started with a short heartbeat
 * ({@code --heartbeat-seconds 1}; a lease lasts 4 heartbeats), agent A claims a job and sends one
 * heartbeat, then is killed: its traffic stops and its connection is closed. Agent B is already
 * long-polling. The figure is the time from the kill to B holding the claim answer for the same
 * job id: the lease running out (lease timeout since the heartbeat), the reaper noticing, the
 * requeue and the wake-up of B's waiting claim.
 */
final class RequeueDelay {
    private RequeueDelay() {
    }

    record Result(double delaySeconds, double heartbeatSeconds, double leaseSeconds) {
        @Override
        public String toString() {
            return String.format("requeue delay %.2f s (heartbeat %.1f s, lease %.1f s)", delaySeconds, heartbeatSeconds,
                    leaseSeconds);
        }
    }

    private record Timed(SimAgent.Assignment assignment, long nanos) {
    }

    static Result run(LoadClient load, SchedulerCluster cluster, String datasetId) throws Exception {
        int port = cluster.port(0);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        SimAgent a = new SimAgent(load, port, "requeue-a-" + tag, 5_000);
        SimAgent b = new SimAgent(load, port, "requeue-b-" + tag, 20_000);
        HttpClientAgent client = load.client(1);
        try {
            long leaseMs = load.call(a::register, Duration.ofSeconds(30));
            load.call(b::register, Duration.ofSeconds(30));
            LoadClient.Response submitted = load.call(() -> LoadClient.send(client, LoadClient.request(HttpMethod.POST, port,
                    "/model/train", LoadClient.bearer(SchedulerCluster.API_KEY), LoadClient.JSON),
                    Buffer.buffer("{\"datasetId\":\"" + datasetId + "\"}")), Duration.ofSeconds(30));
            String jobId = LoadClient.leadingString(submitted.text(), "{\"id\":\"");
            if (submitted.status() != 202 || jobId == null) {
                throw new IllegalStateException("submit answered " + submitted.status() + ": " + submitted.text());
            }
            SimAgent.Assignment held = load.call(() -> a.claimOnce(5_000), Duration.ofSeconds(30));
            if (held == null || !held.jobId().equals(jobId)) {
                throw new IllegalStateException("agent A did not get job " + jobId + " but " + held);
            }
            load.call(() -> a.heartbeat(held), Duration.ofSeconds(30));
            // B waits in a long poll; then A dies (no more heartbeats, connection closed).
            Future<Timed> bClaim = load.call(() -> Future.succeededFuture(claimTimed(b)), Duration.ofSeconds(10));
            Thread.sleep(100);
            long killed = load.call(() -> {
                long now = System.nanoTime();
                a.kill();
                return Future.succeededFuture(now);
            }, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                Timed got = LoadClient.await(bClaim, Duration.ofSeconds(40));
                if (got.assignment() != null) {
                    if (!got.assignment().jobId().equals(jobId)) {
                        throw new IllegalStateException("agent B got another job: " + got.assignment());
                    }
                    load.call(() -> b.finish(got.assignment()), Duration.ofSeconds(30)); // leave nothing behind
                    return new Result((got.nanos() - killed) / 1e9, cluster.heartbeatSeconds(), leaseMs / 1000.0);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("job " + jobId + " was not handed out again within 60 s");
                }
                bClaim = load.call(() -> Future.succeededFuture(claimTimed(b)), Duration.ofSeconds(10));
            }
        } finally {
            load.call(() -> Future.all(a.stop(), b.stop(), client.close()).mapEmpty(), Duration.ofSeconds(30));
        }
    }

    private static Future<Timed> claimTimed(SimAgent agent) {
        return agent.claimOnce(20_000).map(x -> new Timed(x, System.nanoTime()));
    }
}
