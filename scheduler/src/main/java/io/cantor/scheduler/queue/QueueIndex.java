package io.cantor.scheduler.queue;

import io.cantor.model.Job;
import io.cantor.model.JobState;
import io.cantor.model.ResourceRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * A scheduler node's index of the queued jobs, for picking the next job without scanning the queue.
 *
 * <p>Jobs sit in lanes: one sorted set per (tenant, resource shape), ordered by priority, then age.
 * Tenants take turns by weighted fair queueing (stride scheduling): each tenant has a virtual
 * "pass"; the eligible tenant with the lowest pass is served and its pass grows by
 * {@code 1 / weight}. A tenant that was idle re-enters at the current virtual time, so it can
 * neither bank credit nor be starved by a tenant with a long backlog. A claim costs
 * {@code O(tenants x shapes + log n)}: independent of how many jobs wait.
 *
 * <p>Not thread-safe: the {@link Dispatcher} touches it only from its own context. The index can
 * be stale (events arrive late); the claim's compare-and-set on the job is what decides.
 */
public final class QueueIndex {

    /** What the index keeps of a queued job: enough to order and match it, nothing more. */
    record Entry(String jobId, String tenant, int priority, long createdMillis, long notBeforeMillis, long version,
                 ResourceRequest resources) {
    }

    private static final Comparator<Entry> BEST_FIRST = Comparator
            .comparingInt((Entry e) -> -e.priority())
            .thenComparingLong(Entry::createdMillis)
            .thenComparing(Entry::jobId);
    private static final Comparator<Entry> DUE_FIRST = Comparator
            .comparingLong(Entry::notBeforeMillis)
            .thenComparing(Entry::jobId);

    private final class TenantQueue {
        final String tenant;
        final Map<ResourceRequest, NavigableSet<Entry>> lanes = new HashMap<>();
        double pass;
        int ready;

        TenantQueue(String tenant) {
            this.tenant = tenant;
        }
    }

    private final ToDoubleFunction<String> weights;
    private final Map<String, Entry> byId = new HashMap<>();
    private final Map<String, TenantQueue> tenants = new HashMap<>();
    private final TreeSet<TenantQueue> active = new TreeSet<>(
            Comparator.comparingDouble((TenantQueue t) -> t.pass).thenComparing(t -> t.tenant));
    private final TreeSet<Entry> delayed = new TreeSet<>(DUE_FIRST);
    private final Map<ResourceRequest, ResourceRequest> shapes = new HashMap<>();
    // Counters kept as jobs come and go, so gauges and checks never walk the queue.
    private final Map<String, Integer> queuedPerTenant = new HashMap<>();
    private final Map<Integer, Long> depthByPriority = new HashMap<>();
    private final Map<ResourceRequest, Long> depthByShape = new HashMap<>();
    private double virtualTime;

    /** @param weights a tenant's share weight (&gt; 0); 1 for everyone means equal shares */
    public QueueIndex(ToDoubleFunction<String> weights) {
        this.weights = weights;
    }

    /**
     * Brings the index up to date with a job's latest value: adds it if QUEUED, drops it otherwise.
     * Values older than what the index holds are ignored.
     *
     * @return whether a job became claimable now
     */
    public boolean apply(Job job, long nowMillis) {
        Entry existing = byId.get(job.id());
        if (existing != null) {
            if (existing.version() >= job.version()) {
                return false;
            }
            detach(existing);
        }
        if (job.state() != JobState.QUEUED) {
            return false;
        }
        ResourceRequest shape = shapes.computeIfAbsent(job.spec().resources(), r -> r);
        Entry entry = new Entry(job.id(), job.tenant(), job.spec().priority(), job.createdAt().toEpochMilli(),
                job.notBefore().toEpochMilli(), job.version(), shape);
        byId.put(entry.jobId(), entry);
        queuedPerTenant.merge(entry.tenant(), 1, Integer::sum);
        depthByPriority.merge(entry.priority(), 1L, Long::sum);
        depthByShape.merge(entry.resources(), 1L, Long::sum);
        if (entry.notBeforeMillis() > nowMillis) {
            delayed.add(entry);
            return false;
        }
        addReady(entry);
        return true;
    }

    /** Forgets a job (its claim lost a race, or it is known to be gone). */
    public void remove(String jobId) {
        Entry entry = byId.get(jobId);
        if (entry != null) {
            detach(entry);
        }
    }

    /**
     * Takes the next job for an agent: among tenants in fair-share order, the first whose best
     * fitting lane head exists. The entry leaves the index; if the claim loses, it stays gone.
     */
    public Entry poll(Predicate<ResourceRequest> fits, long nowMillis) {
        promoteDue(nowMillis);
        TenantQueue chosen = null;
        Entry best = null;
        Map<ResourceRequest, Boolean> fitCache = new HashMap<>();
        for (TenantQueue tenant : active) {
            for (Map.Entry<ResourceRequest, NavigableSet<Entry>> lane : tenant.lanes.entrySet()) {
                if (lane.getValue().isEmpty() || !fitCache.computeIfAbsent(lane.getKey(), fits::test)) {
                    continue;
                }
                Entry head = lane.getValue().first();
                if (best == null || BEST_FIRST.compare(head, best) < 0) {
                    best = head;
                }
            }
            if (best != null) {
                chosen = tenant;
                break;
            }
        }
        if (best == null) {
            return null;
        }
        active.remove(chosen);
        virtualTime = Math.max(virtualTime, chosen.pass);
        chosen.pass += 1.0 / Math.max(1e-6, weights.applyAsDouble(chosen.tenant));
        detach(best);
        if (chosen.ready > 0) {
            active.add(chosen);
        }
        return best;
    }

    /** When the earliest backed-off job becomes due, if any. */
    public OptionalLong nextDueMillis() {
        return delayed.isEmpty() ? OptionalLong.empty() : OptionalLong.of(delayed.first().notBeforeMillis());
    }

    /** Moves backed-off jobs whose time has come into their lanes; returns how many. */
    public int promoteDue(long nowMillis) {
        int promoted = 0;
        while (!delayed.isEmpty() && delayed.first().notBeforeMillis() <= nowMillis) {
            addReady(delayed.pollFirst());
            promoted++;
        }
        return promoted;
    }

    public int size() {
        return byId.size();
    }

    /** How many jobs the tenant has queued (ready or backed off). */
    public int queuedFor(String tenant) {
        return queuedPerTenant.getOrDefault(tenant, 0);
    }

    public boolean contains(String jobId) {
        return byId.containsKey(jobId);
    }

    /** Queued jobs per priority, for the queue-depth gauge (a copy). */
    public Map<Integer, Long> depthByPriority() {
        return new TreeMap<>(depthByPriority);
    }

    /** Distinct resource shapes that have queued jobs, with their counts (a copy). */
    public Map<ResourceRequest, Long> depthByShape() {
        return new HashMap<>(depthByShape);
    }

    List<String> tenantsInServiceOrder() {
        List<String> order = new ArrayList<>();
        active.forEach(t -> order.add(t.tenant));
        return order;
    }

    private void addReady(Entry entry) {
        TenantQueue tenant = tenants.computeIfAbsent(entry.tenant(), TenantQueue::new);
        if (tenant.ready == 0) {
            // Re-entering tenants start at the current virtual time: no banked credit, no starvation.
            tenant.pass = Math.max(tenant.pass, virtualTime);
        } else {
            active.remove(tenant);
        }
        tenant.lanes.computeIfAbsent(entry.resources(), r -> new TreeSet<>(BEST_FIRST)).add(entry);
        tenant.ready++;
        active.add(tenant);
    }

    private void detach(Entry entry) {
        byId.remove(entry.jobId());
        queuedPerTenant.computeIfPresent(entry.tenant(), (t, n) -> n > 1 ? n - 1 : null);
        depthByPriority.computeIfPresent(entry.priority(), (p, n) -> n > 1 ? n - 1 : null);
        depthByShape.computeIfPresent(entry.resources(), (r, n) -> n > 1 ? n - 1 : null);
        if (delayed.remove(entry)) {
            return;
        }
        TenantQueue tenant = tenants.get(entry.tenant());
        if (tenant == null) {
            return;
        }
        NavigableSet<Entry> lane = tenant.lanes.get(entry.resources());
        if (lane != null && lane.remove(entry)) {
            active.remove(tenant);
            tenant.ready--;
            if (lane.isEmpty()) {
                tenant.lanes.remove(entry.resources());
            }
            if (tenant.ready > 0) {
                active.add(tenant);
            }
        }
    }
}
