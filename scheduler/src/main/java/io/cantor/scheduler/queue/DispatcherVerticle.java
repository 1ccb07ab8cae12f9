package io.cantor.scheduler.queue;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryLoadedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.cantor.model.AgentNode;
import io.cantor.model.Job;
import io.cantor.scheduler.store.JobJournal;
import io.cantor.scheduler.store.JobStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.time.InstantSource;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

/**
 * Gives the {@link Dispatcher} its own context, feeds it every change to the jobs map from
 * anywhere in the cluster, and fills its index from the journal at start.
 */
public final class DispatcherVerticle extends VerticleBase {
    private final IMap<String, Job> jobsMap;
    private final IMap<String, AgentNode> nodesMap;
    private UUID nodeListener;
    private final JobJournal journal;
    private final JobStore store;
    private final InstantSource clock;
    private final DispatchMetrics metrics;
    private final ToDoubleFunction<String> tenantWeights;
    private volatile Dispatcher dispatcher;
    private UUID listener;

    public DispatcherVerticle(IMap<String, Job> jobsMap, IMap<String, AgentNode> nodesMap, JobJournal journal, JobStore store, InstantSource clock,
                              DispatchMetrics metrics, ToDoubleFunction<String> tenantWeights) {
        this.jobsMap = jobsMap;
        this.nodesMap = nodesMap;
        this.journal = journal;
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
        this.tenantWeights = tenantWeights;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public Future<?> start() {
        dispatcher = new Dispatcher(vertx, context, new QueueIndex(tenantWeights), store, clock, metrics);
        // Listen first, then load: a change that races the load arrives as an event with a higher version.
        return vertx.executeBlocking(() -> {
                    nodeListener = nodesMap.addEntryListener((EntryUpdatedListener<String, AgentNode>) event -> {
                        if (!event.getValue().state().acceptsWork()) {
                            dispatcher.nodeStoppedAccepting(event.getKey());
                        }
                    }, true);
                    return jobsMap.addEntryListener(new Changes(dispatcher), true);
                })
                .compose(id -> {
                    listener = id;
                    return vertx.executeBlocking(journal::queuedJobs);
                })
                .onSuccess(queued -> queued.forEach(dispatcher::observe));
    }

    @Override
    public Future<?> stop() {
        UUID jobs = listener;
        UUID nodes = nodeListener;
        return vertx.executeBlocking(() -> {
            if (jobs != null) {
                jobsMap.removeEntryListener(jobs);
            }
            if (nodes != null) {
                nodesMap.removeEntryListener(nodes);
            }
            return null;
        });
    }

    /** Hazelcast's event threads hand each new job value to the dispatcher's context. */
    private record Changes(Dispatcher dispatcher) implements EntryAddedListener<String, Job>,
            EntryUpdatedListener<String, Job>, EntryLoadedListener<String, Job> {
        @Override
        public void entryAdded(com.hazelcast.core.EntryEvent<String, Job> event) {
            dispatcher.observe(event.getValue());
        }

        @Override
        public void entryUpdated(com.hazelcast.core.EntryEvent<String, Job> event) {
            dispatcher.observe(event.getValue());
        }

        @Override
        public void entryLoaded(com.hazelcast.core.EntryEvent<String, Job> event) {
            dispatcher.observe(event.getValue());
        }
    }
}
