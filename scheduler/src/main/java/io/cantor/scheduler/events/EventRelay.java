package io.cantor.scheduler.events;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.cantor.model.Job;
import io.cantor.model.json.Json;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Publishes the events that job transitions record in the job's outbox. Each member relays the
 * jobs whose partitions it owns (a local entry listener), so every event is published by one
 * member: appended to the job's history (idempotent by seq), then to the tenant's stream, the
 * cluster event bus (for live SSE on every node) and the sinks (webhooks, e-mail). Events of one
 * job are relayed in order. When a member dies, the others re-relay recently changed jobs they
 * now own; the history's seq makes that safe.
 */
public final class EventRelay extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);
    public static final String JOB_ADDRESS = "cantor.job.";
    public static final String TENANT_ADDRESS = "cantor.tenant.";
    private static final Duration CATCH_UP_WINDOW = Duration.ofMinutes(10);

    private final HazelcastInstance hazelcast;
    private final IMap<String, Job> jobs;
    private final EventLog log;
    private final List<EventSink> sinks;
    private final InstantSource clock;
    private final Map<String, Future<Void>> tails = new HashMap<>();
    private UUID listener;
    private UUID membership;

    public EventRelay(HazelcastInstance hazelcast, IMap<String, Job> jobs, EventLog log, List<EventSink> sinks,
                      InstantSource clock) {
        this.hazelcast = hazelcast;
        this.jobs = jobs;
        this.log = log;
        this.sinks = List.copyOf(sinks);
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            listener = jobs.addLocalEntryListener(new Changes());
            membership = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    context.runOnContext(v -> catchUp());
                }
            });
            return null;
        });
    }

    @Override
    public Future<?> stop() {
        return vertx.executeBlocking(() -> {
            if (listener != null) {
                jobs.removeEntryListener(listener);
            }
            if (membership != null) {
                hazelcast.getCluster().removeMembershipListener(membership);
            }
            return null;
        });
    }

    /** Relays one job's latest value, after anything still relaying for the same job. */
    public void relay(Job job) {
        if (job.outbox().isEmpty()) {
            return;
        }
        context.runOnContext(v -> {
            Future<Void> previous = tails.getOrDefault(job.id(), Future.succeededFuture());
            Future<Void> next = previous.transform(ignored -> publish(job));
            tails.put(job.id(), next);
            next.onComplete(ar -> {
                if (tails.get(job.id()) == next) {
                    tails.remove(job.id());
                }
                if (ar.failed()) {
                    LOG.warn("relaying events of job {} failed; the next change or catch-up retries", job.id(), ar.cause());
                }
            });
        });
    }

    private Future<Void> publish(Job job) {
        return log.appendToHistory(job.id(), job.tenant(), job.outbox()).compose(fresh -> {
            // A member that died after appending to the history but before the sinks took the events
            // must not leave them "already published" and never delivered: idempotent sinks get the
            // whole outbox every time, the others only what is new.
            List<Future<Void>> reactions = new ArrayList<>();
            for (EventSink sink : sinks) {
                if (sink.takesEventsIdempotently()) {
                    reactions.add(sink.accept(job, job.outbox()));
                } else if (!fresh.isEmpty()) {
                    reactions.add(sink.accept(job, fresh));
                }
            }
            if (fresh.isEmpty()) {
                return Future.all(reactions).mapEmpty();
            }
            List<EventView> views = fresh.stream().map(e -> EventView.of(job.id(), job.tenant(), e)).toList();
            for (EventView view : views) {
                vertx.eventBus().publish(JOB_ADDRESS + job.id(), Json.write(view));
            }
            Future<Void> streamed = log.appendToTenantStream(job.tenant(), views).map(last -> {
                long first = last - views.size() + 1;
                for (int i = 0; i < views.size(); i++) {
                    vertx.eventBus().publish(TENANT_ADDRESS + job.tenant(),
                            new JsonObject().put("seq", first + i).put("event", Json.write(views.get(i))).encode());
                }
                return null;
            });
            reactions.add(streamed);
            return Future.all(reactions).mapEmpty();
        });
    }

    /** After a member died: relay recently changed jobs this member now owns, in case their events were lost. */
    private void catchUp() {
        Instant since = clock.instant().minus(CATCH_UP_WINDOW);
        vertx.executeBlocking(() -> {
            Set<String> owned = jobs.localKeySet();
            List<Job> recent = new ArrayList<>();
            for (Job job : jobs.getAll(owned).values()) {
                if (job.updatedAt().isAfter(since)) {
                    recent.add(job);
                }
            }
            return recent;
        }).onSuccess(recent -> {
            LOG.info("a member left: re-relaying events of {} recently changed job(s) owned here", recent.size());
            recent.forEach(this::relay);
        }).onFailure(e -> LOG.warn("event catch-up failed", e));
    }

    private final class Changes implements EntryAddedListener<String, Job>, EntryUpdatedListener<String, Job> {
        @Override
        public void entryAdded(EntryEvent<String, Job> event) {
            relay(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, Job> event) {
            Job job = event.getValue();
            Job old = event.getOldValue();
            if (old == null || job.eventSeq() != old.eventSeq()) {
                relay(job);
            }
        }
    }
}
