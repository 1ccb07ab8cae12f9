package io.cantor.model;

/** An agent node's standing with the scheduler. Only ACTIVE nodes are handed new work. */
public enum NodeState {
    ACTIVE,
    /** Finishes what it runs, claims nothing new; the platform team is about to remove it. */
    DRAINING,
    /** Claims nothing new until uncordoned; keeps running its jobs. */
    CORDONED,
    /** Went silent; its jobs' leases run out and they are requeued. */
    LOST;

    public boolean acceptsWork() {
        return this == ACTIVE;
    }
}
