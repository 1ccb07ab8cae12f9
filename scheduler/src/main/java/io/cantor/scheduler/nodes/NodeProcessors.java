package io.cantor.scheduler.nodes;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.cantor.model.AgentNode;
import io.cantor.model.NodeState;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/** Atomic changes to one node's record, so that a heartbeat's "seen" never undoes an operator's drain. */
public final class NodeProcessors implements DataSerializableFactory {
    public static final int FACTORY_ID = 2;
    static final int SEEN = 1;
    static final int SET_STATE = 2;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case SEEN -> new Seen();
            case SET_STATE -> new SetState();
            default -> throw new IllegalArgumentException("unknown node processor " + typeId);
        };
    }

    /** The node called in: note the time; a node that was lost is back. */
    static final class Seen implements EntryProcessor<String, AgentNode, AgentNode>, IdentifiedDataSerializable {
        private long nowMillis;

        Seen() {
        }

        Seen(Instant now) {
            nowMillis = now.toEpochMilli();
        }

        @Override
        public AgentNode process(Map.Entry<String, AgentNode> entry) {
            AgentNode node = entry.getValue();
            if (node == null) {
                return null;
            }
            AgentNode next = node.seenAt(Instant.ofEpochMilli(nowMillis));
            entry.setValue(next);
            return next;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return SEEN;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(nowMillis);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            nowMillis = in.readLong();
        }
    }

    /**
     * Moves a node to {@code to}: an operator's state, or LOST. Marking lost applies only if the node
     * has not been seen since {@code onlyIfSilentSinceMillis} (it must not mark a node that just called in).
     */
    static final class SetState implements EntryProcessor<String, AgentNode, AgentNode>, IdentifiedDataSerializable {
        private NodeState to;
        private long onlyIfSilentSinceMillis;

        SetState() {
        }

        SetState(NodeState to, long onlyIfSilentSinceMillis) {
            this.to = to;
            this.onlyIfSilentSinceMillis = onlyIfSilentSinceMillis;
        }

        @Override
        public AgentNode process(Map.Entry<String, AgentNode> entry) {
            AgentNode node = entry.getValue();
            if (node == null) {
                return null;
            }
            AgentNode next;
            if (to == NodeState.LOST) {
                if (node.lost() || node.lastSeenAt().toEpochMilli() > onlyIfSilentSinceMillis) {
                    return node;
                }
                next = node.markedLost();
            } else {
                if (node.adminState() == to) {
                    return node;
                }
                next = node.withAdminState(to);
            }
            entry.setValue(next);
            return next;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return SET_STATE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeByte(to.ordinal());
            out.writeLong(onlyIfSilentSinceMillis);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            to = NodeState.values()[in.readByte()];
            onlyIfSilentSinceMillis = in.readLong();
        }
    }
}
