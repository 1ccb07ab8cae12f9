package io.cantor.scheduler.store.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.cantor.model.Job;
import io.cantor.scheduler.store.JobJournal;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * After a member dies, brings the jobs in memory up to the journal. The write-through store commits
 * a change before Hazelcast sends it to the backup, so a member that dies between the two leaves the
 * journal one version ahead of the promoted backup: a job SUCCEEDED in the journal can stay RUNNING
 * in memory, and the lease reaper, which finds expired leases in the journal, never takes it back.
 * The oldest surviving member compares the versions of jobs changed shortly before the loss and
 * adopts each newer journal value with a compare-and-set on the version.
 */
public final class JournalReconciler extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReconciler.class);
    /** Changes older than this before the loss was noticed were replicated long ago. */
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int LIMIT = 200_000;

    private final HazelcastInstance hazelcast;
    private final IMap<String, Job> jobs;
    private final JobJournal journal;
    private final InstantSource clock;
    private final Duration settle;
    private UUID membership;

    /** @param settle how long to wait after a loss, so that a dying member's last commit lands first */
    public JournalReconciler(HazelcastInstance hazelcast, IMap<String, Job> jobs, JobJournal journal, InstantSource clock,
                             Duration settle) {
        this.hazelcast = hazelcast;
        this.jobs = jobs;
        this.journal = journal;
        this.clock = clock;
        this.settle = settle;
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            membership = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    Instant noticed = clock.instant();
                    context.runOnContext(v -> vertx.setTimer(Math.max(1, settle.toMillis()), t -> reconcile(noticed)));
                }
            });
            return null;
        });
    }

    @Override
    public Future<?> stop() {
        return vertx.executeBlocking(() -> {
            if (membership != null) {
                hazelcast.getCluster().removeMembershipListener(membership);
            }
            return null;
        });
    }

    private void reconcile(Instant noticed) {
        vertx.executeBlocking(() -> isOldestMember() ? catchUp(noticed.minus(WINDOW)) : List.<String>of())
                .onSuccess(adopted -> {
                    if (!adopted.isEmpty()) {
                        LOG.warn("a member left: {} job(s) in memory were behind the journal and now match it: {}",
                                adopted.size(), adopted.size() > 10 ? adopted.subList(0, 10) + "..." : adopted);
                    }
                })
                .onFailure(e -> LOG.error("could not compare memory with the journal after a member left", e));
    }

    /** One member does it; the oldest is the one every member agrees on. */
    private boolean isOldestMember() {
        Member oldest = hazelcast.getCluster().getMembers().iterator().next();
        return oldest.localMember();
    }

    /** Blocking. The ids of the jobs whose journal value replaced the one in memory. */
    List<String> catchUp(Instant since) {
        Map<String, Long> journaled = journal.versionsChangedSince(since, LIMIT);
        if (journaled.isEmpty()) {
            return List.of();
        }
        Map<String, Long> inMemory = jobs.executeOnKeys(journaled.keySet(), new JobProcessors.VersionOf());
        List<String> behind = new ArrayList<>();
        journaled.forEach((id, version) -> {
            Long held = inMemory.get(id);
            if (held != null && held >= 0 && held < version) {
                behind.add(id);
            }
        });
        List<String> adopted = new ArrayList<>();
        for (Job newer : journal.loadAll(behind).values()) {
            if (jobs.executeOnKey(newer.id(), new JobProcessors.AdoptNewer(newer))) {
                adopted.add(newer.id());
            }
        }
        return adopted;
    }
}
