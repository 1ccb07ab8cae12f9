package io.cantor.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 2, submit-to-claim latency on an idle fleet: {@code agents} simulated agents are
 * registered and long-polling ({@code waitMs} 20000) before anything is submitted; then single
 * submissions go out at a paced, modest rate (open loop: a timer, not the answers, sets the pace).
 * For each job: the time from sending its {@code POST /model/train} to an agent holding the
 * {@code 200} claim answer naming that job id; that is, the submit path, the dispatcher waking a
 * waiting claim, and both HTTP hops. Jobs sent during the warm-up are not counted. Agents upload
 * a tiny artifact and complete each job, so they are idle again between jobs as long as the
 * server keeps up with the rate (the result says at how many submissions no agent was waiting).
 */
final class SubmitToClaimLatency {
    private SubmitToClaimLatency() {
    }

    record Result(double p50Ms, double p99Ms, double maxMs, double submitP50Ms, double submitP99Ms, int samples,
                  int unclaimed, int noAgentIdle, String agentErrors) {
        @Override
        public String toString() {
            return String.format("submit->claim p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d jobs (the 202 alone: p50 %.2f ms, "
                    + "p99 %.2f ms; no agent was idle at %d submissions; %d not submitted or never claimed; agent errors %s)",
                    p50Ms, p99Ms, maxMs, samples, submitP50Ms, submitP99Ms, noAgentIdle, unclaimed, agentErrors);
        }
    }

    static Result run(LoadClient load, SchedulerCluster cluster, String datasetId, int agentCount, int perSecond,
                      Duration warmup, Duration measured) throws Exception {
        int port = cluster.port(0);
        Map<String, Long> claimedAt = new HashMap<>(); // event loop only
        Map<String, Long> sentAt = new HashMap<>(); // event loop only; measured jobs
        List<Long> answered = new ArrayList<>(); // event loop only; send to 202, measured jobs
        List<SimAgent> agents = SimAgent.startMany(load, port, "latency-agent", agentCount, 20_000,
                (jobId, nanos) -> claimedAt.put(jobId, nanos));
        HttpClientAgent client = load.client(8);
        try {
            Thread.sleep(300); // every agent is waiting in a long poll
            Buffer body = Buffer.buffer("{\"datasetId\":\"" + datasetId + "\"}");
            CharSequence auth = LoadClient.bearer(SchedulerCluster.API_KEY);
            long warmTicks = warmup.toMillis() * perSecond / 1000;
            long ticks = warmTicks + measured.toMillis() * perSecond / 1000;
            long periodMs = Math.max(1, 1000 / perSecond);
            int[] failures = new int[1];
            int[] busy = new int[1]; // measured submissions sent while every agent was busy with a job
            Future<Void> paced = load.call(() -> {
                Promise<Void> done = Promise.promise();
                long[] tick = new long[1];
                load.vertx.setPeriodic(periodMs, timer -> {
                    long n = ++tick[0];
                    if (n > ticks) {
                        load.vertx.cancelTimer(timer);
                        done.complete();
                        return;
                    }
                    boolean counted = n > warmTicks;
                    if (counted && !SimAgent.anyPolling(agents)) {
                        busy[0]++;
                    }
                    long sent = System.nanoTime();
                    LoadClient.send(client, LoadClient.request(HttpMethod.POST, port, "/model/train", auth, LoadClient.JSON), body)
                            .onComplete(ar -> {
                                String id = ar.succeeded() && ar.result().status() == 202
                                        ? LoadClient.leadingString(ar.result().text(), "{\"id\":\"") : null;
                                if (id == null) {
                                    failures[0]++;
                                } else if (counted) {
                                    sentAt.put(id, sent);
                                    answered.add(System.nanoTime() - sent);
                                }
                            });
                });
                return Future.succeededFuture(done.future());
            }, Duration.ofSeconds(10));
            LoadClient.await(paced, warmup.plus(measured).multipliedBy(3).plusSeconds(30));
            // Wait (up to 10 s) for the last claims to come in.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && !load.call(() -> Future.succeededFuture(
                    claimedAt.keySet().containsAll(sentAt.keySet())), Duration.ofSeconds(10))) {
                Thread.sleep(50);
            }
            return load.call(() -> {
                long[] latencies = sentAt.entrySet().stream().filter(e -> claimedAt.containsKey(e.getKey()))
                        .mapToLong(e -> claimedAt.get(e.getKey()) - e.getValue()).toArray();
                if (latencies.length == 0) {
                    throw new IllegalStateException("no job was claimed (" + failures[0] + " submissions failed)");
                }
                long max = Arrays.stream(latencies).max().orElse(0);
                long[] submits = answered.stream().mapToLong(Long::longValue).toArray();
                return Future.succeededFuture(new Result(Stats.percentile(latencies, 50) / 1e6,
                        Stats.percentile(latencies, 99) / 1e6, max / 1e6, Stats.percentile(submits, 50) / 1e6,
                        Stats.percentile(submits, 99) / 1e6, latencies.length,
                        sentAt.size() - latencies.length + failures[0], busy[0], SimAgent.errors(agents)));
            }, Duration.ofSeconds(10));
        } finally {
            SimAgent.stopAll(load, agents);
            LoadClient.await(client.close(), Duration.ofSeconds(10));
        }
    }
}
