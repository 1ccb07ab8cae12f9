package io.cantor.scheduler.nodes;

import io.cantor.model.AgentNode;
import io.cantor.model.NodeState;
import io.cantor.scheduler.tasks.PeriodicTask;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Marks agent nodes LOST once they have been silent longer than a lease plus a long poll last, so nothing more
 * is handed to them; their jobs' leases run out too, and the {@link io.cantor.scheduler.lease.LeaseReaper}
 * requeues them. Each member looks after the node entries it owns.
 */
public final class NodeLiveness implements PeriodicTask {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLiveness.class);

    private final NodeRegistry nodes;
    private final InstantSource clock;
    private final Duration silence;
    private final Duration period;

    public NodeLiveness(NodeRegistry nodes, InstantSource clock, Duration silence, Duration period) {
        this.nodes = nodes;
        this.clock = clock;
        this.silence = silence;
        this.period = period;
    }

    @Override
    public String name() {
        return "node liveness";
    }

    @Override
    public Duration period() {
        return period;
    }

    @Override
    public Future<List<AgentNode>> runOnce() {
        Instant silentSince = clock.instant().minus(silence);
        return nodes.ownedByThisMember().compose(owned -> {
            List<Future<Optional<AgentNode>>> marks = new ArrayList<>();
            for (AgentNode node : owned) {
                if (!node.lost() && node.lastSeenAt().isBefore(silentSince)) {
                    marks.add(nodes.markLostIfSilentSince(node.id(), silentSince));
                }
            }
            return Future.join(marks).map(all -> {
                List<AgentNode> lost = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    Optional<AgentNode> node = all.resultAt(i);
                    if (node != null && node.isPresent() && node.get().state() == NodeState.LOST) {
                        LOG.warn("agent node {} is lost: silent since {}", node.get().id(), node.get().lastSeenAt());
                        lost.add(node.get());
                    }
                }
                return lost;
            });
        });
    }
}
