package io.cantor.scheduler;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapStore;
import io.cantor.model.Dataset;
import io.cantor.scheduler.auth.ApiKey;
import io.cantor.scheduler.auth.ApiKeys;
import io.cantor.scheduler.cluster.ClusterMember;
import io.cantor.scheduler.config.SchedulerConfig;
import io.cantor.scheduler.datasets.DatasetService;
import io.cantor.scheduler.idempotency.IdempotencyKeys;
import io.cantor.scheduler.idempotency.Reservation;
import io.cantor.scheduler.store.hazelcast.DocumentMapStore;
import io.cantor.scheduler.store.hazelcast.HazelcastJobStore;
import io.cantor.scheduler.store.hazelcast.JournalMapStore;
import io.cantor.scheduler.store.jdbc.Database;
import io.cantor.scheduler.store.jdbc.JdbcDocuments;
import io.cantor.scheduler.store.jdbc.JdbcJobJournal;
import io.vertx.core.Future;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Real Hazelcast members with Cantor's maps and serializers, journaled to one shared database. */
public final class TestCluster implements AutoCloseable {
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final Database database;
    private final JdbcJobJournal journal;
    private final String clusterName = "test-" + UUID.randomUUID();
    private final Path dir;

    public TestCluster(Path dir, String jdbcUrl, String user, String password) {
        this.dir = dir;
        this.database = Database.open(jdbcUrl, user, password, dir);
        this.journal = new JdbcJobJournal(database);
    }

    public static TestCluster withH2(Path dir) {
        return new TestCluster(dir, null, null, null);
    }

    public JdbcJobJournal journal() {
        return journal;
    }

    public Database database() {
        return database;
    }

    /** Starts one more member that joins the others. */
    public HazelcastInstance addMember() {
        List<String> seeds = members.stream()
                .map(m -> "127.0.0.1:" + m.getCluster().getLocalMember().getAddress().getPort()).toList();
        SchedulerConfig config = SchedulerConfig.builder(dir)
                .nodeName("m" + members.size())
                .clusterName(clusterName)
                .hazelcastHost("127.0.0.1")
                .hazelcastPort(seeds.isEmpty() ? 5701 : 5701 + members.size())
                .members(seeds)
                .build();
        Map<String, MapStore<String, ?>> journals = Map.of(
                HazelcastJobStore.MAP, new JournalMapStore(journal),
                DatasetService.MAP, new DocumentMapStore<>(new JdbcDocuments<>(database, "datasets", Dataset.class)),
                ApiKeys.MAP, new DocumentMapStore<>(new JdbcDocuments<>(database, "api-keys", ApiKey.class)),
                IdempotencyKeys.MAP, new DocumentMapStore<>(new JdbcDocuments<>(database, "idempotency", Reservation.class)));
        HazelcastInstance member = ClusterMember.start(config, journals);
        members.add(member);
        return member;
    }

    public List<HazelcastInstance> members() {
        return members;
    }

    @Override
    public void close() {
        members.forEach(m -> m.getLifecycleService().terminate());
        database.close();
    }

    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
