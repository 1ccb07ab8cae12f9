package io.cantor.scheduler.store.hazelcast;

import com.hazelcast.map.MapStore;
import io.cantor.model.Job;
import io.cantor.scheduler.store.JobJournal;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Write-through from the jobs map to the journal: a change is in the database before the map
 * operation returns. A cold cluster loads only unfinished jobs eagerly; finished ones are read
 * back on demand.
 */
public final class JournalMapStore implements MapStore<String, Job> {
    private final JobJournal journal;

    public JournalMapStore(JobJournal journal) {
        this.journal = journal;
    }

    @Override
    public void store(String key, Job value) {
        journal.record(value);
    }

    @Override
    public void storeAll(Map<String, Job> map) {
        journal.recordAll(map.values());
    }

    @Override
    public void delete(String key) {
        journal.erase(key);
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        keys.forEach(journal::erase);
    }

    @Override
    public Job load(String key) {
        return journal.load(key).orElse(null);
    }

    @Override
    public Map<String, Job> loadAll(Collection<String> keys) {
        return journal.loadAll(keys);
    }

    @Override
    public Iterable<String> loadAllKeys() {
        List<String> ids = journal.unfinishedJobIds();
        return ids;
    }
}
