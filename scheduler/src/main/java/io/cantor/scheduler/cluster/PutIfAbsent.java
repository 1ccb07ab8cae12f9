package io.cantor.scheduler.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Map;

/**
 * Atomic put-if-absent as an entry processor (the map API has no asynchronous one): stores the
 * value unless the key has one, and returns the value that was there (null if none).
 */
public final class PutIfAbsent<V> implements EntryProcessor<String, V, V>, IdentifiedDataSerializable {
    public static final int FACTORY_ID = 3;
    private V value;

    public PutIfAbsent() {
    }

    public PutIfAbsent(V value) {
        this.value = value;
    }

    @Override
    public V process(Map.Entry<String, V> entry) {
        V existing = entry.getValue();
        if (existing == null) {
            entry.setValue(value);
        }
        return existing;
    }

    @Override
    public int getFactoryId() {
        return FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return 1;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeObject(value);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        value = in.readObject();
    }

    /** Registers this processor with the cluster's serialization. */
    public static DataSerializableFactory factory() {
        return id -> id == 1 ? new PutIfAbsent<>() : null;
    }
}
