package io.cantor.model.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.cantor.model.json.Json;

import java.io.IOException;

/** Stores a record as JSON; for the cluster's colder values (datasets, nodes, keys), where size and speed matter less. */
public final class JsonStreamSerializer<T> implements StreamSerializer<T> {
    private final Class<T> type;
    private final int typeId;

    public JsonStreamSerializer(Class<T> type, int typeId) {
        this.type = type;
        this.typeId = typeId;
    }

    @Override
    public void write(ObjectDataOutput out, T value) throws IOException {
        out.writeByteArray(Json.writeBytes(value));
    }

    @Override
    public T read(ObjectDataInput in) throws IOException {
        return Json.read(in.readByteArray(), type);
    }

    @Override
    public int getTypeId() {
        return typeId;
    }
}
