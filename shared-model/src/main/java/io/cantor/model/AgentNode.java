package io.cantor.model;

import io.cantor.model.agent.Capabilities;

import java.time.Instant;

/** A registered agent node as the scheduler sees it. */
public record AgentNode(String id, Capabilities capabilities, NodeState state, String agentVersion,
                        Instant registeredAt, Instant lastSeenAt) {

    public AgentNode withState(NodeState next) {
        return new AgentNode(id, capabilities, next, agentVersion, registeredAt, lastSeenAt);
    }

    public AgentNode seenAt(Instant now) {
        return new AgentNode(id, capabilities, state, agentVersion, registeredAt, now);
    }
}
