package io.cantor.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop JSON submissions ({@code POST /model/train {"datasetId": ...}}) with a fixed number
 * in flight, round-robin over the given scheduler ports. Each answer immediately triggers the next
 * request. Either a fixed count of accepted jobs ({@link #submit(long)}: non-202s are counted and
 * retried) or until {@link #stop()} ({@link #start()}). Runs on the load client's event loop.
 */
final class Submitter implements AutoCloseable {
    private static final int MAX_FAILURES = 10_000;

    private final LoadClient load;
    private final HttpClientAgent client;
    private final int[] ports;
    private final int concurrency;
    private final Buffer body;
    private final CharSequence auth = LoadClient.bearer(SchedulerCluster.API_KEY);

    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    /** Non-202 answers by status (event loop only; read after the run). */
    private final TreeMap<Integer, Long> byStatus = new TreeMap<>();
    private Throwable lastFailure;

    // event-loop state
    private boolean running;
    private long toIssue; // < 0: unbounded
    private int inFlight;
    private int next;
    private Promise<Void> done;

    Submitter(LoadClient load, int[] ports, String datasetId, int concurrency) {
        this.load = load;
        this.ports = ports.clone();
        this.concurrency = concurrency;
        this.client = load.client(concurrency);
        this.body = Buffer.buffer(("{\"datasetId\":\"" + datasetId + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** Submits until {@link #stop()}; the future completes when the last answer is in. */
    Future<Void> start() throws Exception {
        return begin(-1);
    }

    /** Submits until {@code count} jobs were accepted (202); the future completes then. */
    Future<Void> submit(long count) throws Exception {
        return begin(count);
    }

    private Future<Void> begin(long count) throws Exception {
        return load.call(() -> {
            running = true;
            toIssue = count;
            done = Promise.promise();
            Future<Void> f = done.future();
            for (int i = 0; i < concurrency; i++) {
                issue();
            }
            return Future.succeededFuture(f);
        }, Duration.ofSeconds(10));
    }

    /** Stops issuing; the future of {@link #start()} completes once the requests in flight are answered. */
    void stop() {
        load.context.runOnContext(v -> {
            running = false;
            finishIfIdle();
        });
    }

    String rejectedByStatus() {
        return byStatus.isEmpty() ? "none" : byStatus.toString() + (lastFailure == null ? "" : ", last error " + lastFailure);
    }

    private void issue() {
        if (!running || toIssue == 0) {
            finishIfIdle();
            return;
        }
        if (toIssue > 0) {
            toIssue--;
        }
        inFlight++;
        int port = ports[next++ % ports.length];
        LoadClient.sendForStatus(client, LoadClient.request(HttpMethod.POST, port, "/model/train", auth, LoadClient.JSON), body)
                .onComplete(ar -> {
                    inFlight--;
                    if (ar.succeeded() && ar.result() == 202) {
                        accepted.incrementAndGet();
                        issue();
                        return;
                    }
                    if (ar.succeeded()) {
                        rejected.incrementAndGet();
                        byStatus.merge(ar.result(), 1L, Long::sum);
                    } else {
                        failed.incrementAndGet();
                        lastFailure = ar.cause();
                        byStatus.merge(-1, 1L, Long::sum);
                    }
                    if (toIssue >= 0) {
                        toIssue++; // a fixed count means accepted jobs: try this one again
                    }
                    if (rejected.get() + failed.get() > MAX_FAILURES) {
                        running = false;
                        done.tryFail(new IllegalStateException("too many failed submissions: " + rejectedByStatus()));
                        return;
                    }
                    load.vertx.setTimer(ar.succeeded() ? 1 : 20, t -> issue()); // do not spin on errors
                });
    }

    private void finishIfIdle() {
        if (inFlight == 0 && done != null) {
            done.tryComplete();
        }
    }

    @Override
    public void close() throws Exception {
        LoadClient.await(client.close(), Duration.ofSeconds(10));
    }
}
