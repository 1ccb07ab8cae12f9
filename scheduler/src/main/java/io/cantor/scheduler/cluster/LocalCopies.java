package io.cantor.scheduler.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This member's copies of a rarely changing map's entries, read on every request (API keys,
 * datasets, a tenant's webhooks). Hazelcast's near cache would do, except that its asynchronous
 * reads re-serialize each hit and it does not remember absent keys, which then go to the journal
 * every time. Any change to an entry anywhere in the cluster drops the copy here (a listener, so
 * other members' changes arrive within milliseconds); a read that raced with a change is not kept.
 */
public final class LocalCopies<K, V> {
    private static final Object ABSENT = new Object();

    private final IMap<K, V> map;
    private final int capacity;
    private final Map<K, Object> copies = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    /** Registers a cluster-wide listener on {@code map}: blocking, so call it off the event loop. */
    public LocalCopies(IMap<K, V> map, int capacity) {
        this.map = map;
        this.capacity = capacity;
        map.addEntryListener(new Invalidation(), false);
    }

    /** The entry's value, or null if there is none. */
    @SuppressWarnings("unchecked")
    public CompletionStage<V> get(K key) {
        Object copy = copies.get(key);
        if (copy != null) {
            return CompletableFuture.completedFuture(copy == ABSENT ? null : (V) copy);
        }
        long before = changes.get();
        return map.getAsync(key).thenApply(value -> {
            if (changes.get() == before) {
                if (copies.size() >= capacity) {
                    copies.clear(); // crude, but bounded: unknown keys cannot grow it without limit
                }
                copies.put(key, value == null ? ABSENT : value);
            }
            return value;
        });
    }

    /** Drops the copy on this member at once (the listener does so everywhere, a moment later). */
    public void forget(K key) {
        changes.incrementAndGet();
        copies.remove(key);
    }

    /** How many entries this member holds copies of (absent ones included). */
    int size() {
        return copies.size();
    }

    private final class Invalidation implements EntryAddedListener<K, V>, EntryUpdatedListener<K, V>,
            EntryRemovedListener<K, V>, EntryEvictedListener<K, V>, EntryExpiredListener<K, V>, MapClearedListener {
        @Override
        public void entryAdded(EntryEvent<K, V> event) {
            forget(event.getKey());
        }

        @Override
        public void entryUpdated(EntryEvent<K, V> event) {
            forget(event.getKey());
        }

        @Override
        public void entryRemoved(EntryEvent<K, V> event) {
            forget(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<K, V> event) {
            forget(event.getKey());
        }

        @Override
        public void entryExpired(EntryEvent<K, V> event) {
            forget(event.getKey());
        }

        @Override
        public void mapCleared(MapEvent event) {
            changes.incrementAndGet();
            copies.clear();
        }
    }
}
