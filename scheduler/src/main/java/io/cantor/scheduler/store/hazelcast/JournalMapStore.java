package io.cantor.scheduler.store.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import io.cantor.model.Job;
import io.cantor.scheduler.store.JobJournal;
import io.cantor.scheduler.store.jdbc.GroupCommit;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Write-through from the jobs map to the journal: a change is in the database before the map
 * operation returns (group-committed with the changes other partition threads make meanwhile).
 * A cold cluster loads only unfinished jobs eagerly; finished ones are read back on demand.
 */
public final class JournalMapStore implements MapStore<String, Job>, MapLoaderLifecycleSupport {
    private final JobJournal journal;
    private final GroupCommit writes;

    public JournalMapStore(JobJournal journal) {
        this.journal = journal;
        this.writes = new GroupCommit(journal, "cantor-journal-writer");
    }

    @Override
    public void init(HazelcastInstance hazelcast, Properties properties, String mapName) {
    }

    /** The member is shutting down: stop the writer thread. */
    @Override
    public void destroy() {
        writes.close();
    }

    /** Durable before it returns; concurrent stores from many partition threads share one commit. */
    @Override
    public void store(String key, Job value) {
        writes.record(value);
    }

    @Override
    public void storeAll(Map<String, Job> map) {
        writes.recordAll(map.values());
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
