package io.cantor.scheduler.events;

import io.cantor.model.JobEvent;
import io.cantor.model.JobState;
import io.cantor.model.Progress;

import java.time.Instant;
import java.util.Map;

/**
 * An event as clients receive it, in server-sent events and webhooks alike (the Standard
 * Webhooks payload shape: {@code type}, {@code timestamp}, {@code data}). {@code id} is
 * {@code <jobId>:<seq>}: unique, and the same on every redelivery.
 */
public record EventView(String id, String type, Instant timestamp, Data data) {

    public record Data(String jobId, String tenant, long seq, JobState state, int attempt, String node, String reason,
                       Progress progress, Map<String, Double> metrics, Integer checkpointEpoch, String model) {
    }

    public static EventView of(String jobId, String tenant, JobEvent e) {
        return new EventView(e.id(jobId), e.type(), e.time(), new Data(jobId, tenant, e.seq(), e.state(), e.attempt(),
                e.node(), e.reason(), e.progress(), e.metrics().isEmpty() ? null : e.metrics(),
                JobEvent.CHECKPOINTED.equals(e.type()) ? e.checkpointEpoch() : null,
                JobEvent.SUCCEEDED.equals(e.type()) ? "/models/" + jobId : null));
    }
}
