package io.cantor.scheduler.store.hazelcast;

import com.hazelcast.map.MapStore;
import io.cantor.scheduler.store.jdbc.JdbcDocuments;

import java.util.Collection;
import java.util.Map;

/** Write-through from a cluster map of documents (datasets, API keys, ...) to its database collection. */
public final class DocumentMapStore<V> implements MapStore<String, V> {
    private final JdbcDocuments<V> documents;

    public DocumentMapStore(JdbcDocuments<V> documents) {
        this.documents = documents;
    }

    @Override
    public void store(String key, V value) {
        documents.put(key, value);
    }

    @Override
    public void storeAll(Map<String, V> map) {
        documents.putAll(map);
    }

    @Override
    public void delete(String key) {
        documents.delete(java.util.List.of(key));
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        documents.delete(keys);
    }

    @Override
    public V load(String key) {
        return documents.getAll(java.util.List.of(key)).get(key);
    }

    @Override
    public Map<String, V> loadAll(Collection<String> keys) {
        return documents.getAll(keys);
    }

    @Override
    public Iterable<String> loadAllKeys() {
        return documents.ids();
    }
}
