package io.cantor.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.cantor.model.agent.Capabilities;

import java.time.Instant;

/**
 * A registered agent node as the scheduler sees it. What an operator decided ({@code adminState}:
 * ACTIVE, DRAINING or CORDONED) is kept apart from what liveness observed ({@code lost}), so a
 * drained node that goes silent and comes back is still drained.
 */
@JsonIgnoreProperties(value = "state", allowGetters = true)
public record AgentNode(String id, Capabilities capabilities, NodeState adminState, boolean lost, String agentVersion,
                        Instant registeredAt, Instant lastSeenAt) {

    public AgentNode {
        if (adminState == NodeState.LOST) {
            throw new IllegalArgumentException("LOST is observed, not decided: set lost instead");
        }
    }

    /** LOST while silent, otherwise what the operator decided. */
    @JsonProperty("state")
    public NodeState state() {
        return lost ? NodeState.LOST : adminState;
    }

    public AgentNode withAdminState(NodeState next) {
        return new AgentNode(id, capabilities, next, lost, agentVersion, registeredAt, lastSeenAt);
    }

    public AgentNode markedLost() {
        return new AgentNode(id, capabilities, adminState, true, agentVersion, registeredAt, lastSeenAt);
    }

    /** The node called in: it is alive. */
    public AgentNode seenAt(Instant now) {
        return new AgentNode(id, capabilities, adminState, false, agentVersion, registeredAt, now);
    }
}
