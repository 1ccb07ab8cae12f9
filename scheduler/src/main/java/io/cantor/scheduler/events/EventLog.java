package io.cantor.scheduler.events;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.cantor.model.JobEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where events are kept in the cluster: each job's history (a map, so any node serves it) and
 * each tenant's stream (a ring buffer whose sequence numbers are the tenant stream's event ids).
 */
public final class EventLog {
    public static final String HISTORY_MAP = "job-events";
    public static final String TENANT_STREAM_PREFIX = "events.";
    public static final int TENANT_STREAM_CAPACITY = 10_000;

    private final Vertx vertx;
    private final HazelcastInstance hazelcast;
    private final IMap<String, JobHistory> histories;

    public EventLog(Vertx vertx, HazelcastInstance hazelcast) {
        this.vertx = vertx;
        this.hazelcast = hazelcast;
        this.histories = hazelcast.getMap(HISTORY_MAP);
    }

    public IMap<String, JobHistory> histories() {
        return histories;
    }

    public Future<Optional<JobHistory>> history(String jobId) {
        return future(histories.getAsync(jobId)).map(Optional::ofNullable);
    }

    /** Adds events to the history; returns those that were not there yet. */
    public Future<List<JobEvent>> appendToHistory(String jobId, String tenant, List<JobEvent> events) {
        return future(histories.submitToKey(jobId, new HistoryProcessors.Append(tenant, events)))
                .map(HistoryProcessors.Appended::events);
    }

    /** Appends to the tenant stream; returns the sequence of the last one (they are consecutive). */
    public Future<Long> appendToTenantStream(String tenant, List<EventView> events) {
        return future(stream(tenant).addAllAsync(events.stream().map(io.cantor.model.json.Json::write).toList(),
                OverflowPolicy.OVERWRITE));
    }

    /** Up to {@code max} of the tenant's events from {@code from} on (clamped to what the buffer still holds). */
    public Future<ReadResultSet<String>> readTenantStream(String tenant, long from, int max) {
        Ringbuffer<String> stream = stream(tenant);
        return vertx.executeBlocking(() -> Math.max(from, stream.headSequence()))
                .compose(start -> future(stream.readManyAsync(start, 0, max, null)));
    }

    public Future<Long> tenantStreamTail(String tenant) {
        return vertx.executeBlocking(() -> stream(tenant).tailSequence());
    }

    private Ringbuffer<String> stream(String tenant) {
        return hazelcast.getRingbuffer(TENANT_STREAM_PREFIX + tenant);
    }

    private <T> Future<T> future(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
    }
}
