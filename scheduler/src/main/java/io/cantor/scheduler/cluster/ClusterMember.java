package io.cantor.scheduler.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapStore;
import io.cantor.model.AgentNode;
import io.cantor.model.Dataset;
import io.cantor.model.Job;
import io.cantor.model.hazelcast.JobSerializer;
import io.cantor.model.hazelcast.JsonStreamSerializer;
import io.cantor.scheduler.api.SubmitRateLimiter;
import io.cantor.scheduler.auth.ApiKey;
import io.cantor.scheduler.auth.ApiKeys;
import io.cantor.scheduler.config.SchedulerConfig;
import io.cantor.scheduler.datasets.DatasetService;
import io.cantor.scheduler.events.EventLog;
import io.cantor.scheduler.events.HistoryProcessors;
import io.cantor.scheduler.events.JobHistory;
import io.cantor.scheduler.logs.JobLog;
import io.cantor.scheduler.logs.JobLogs;
import io.cantor.scheduler.notify.DeliveryLog;
import io.cantor.scheduler.notify.DeliveryProcessors;
import io.cantor.scheduler.notify.DeliveryQueue;
import io.cantor.scheduler.notify.Notifications;
import io.cantor.scheduler.notify.SubscriptionProcessors;
import io.cantor.scheduler.notify.TenantWebhooks;
import io.cantor.scheduler.idempotency.IdempotencyKeys;
import io.cantor.scheduler.idempotency.Reservation;
import io.cantor.scheduler.idempotency.ReservationProcessors;
import io.cantor.scheduler.nodes.NodeProcessors;
import io.cantor.scheduler.nodes.NodeRegistry;
import io.cantor.scheduler.store.hazelcast.HazelcastJobStore;
import io.cantor.scheduler.store.hazelcast.JobProcessors;

import java.util.Map;
import java.util.UUID;

/**
 * Builds this node's Hazelcast member: cluster name and discovery, the maps with one synchronous
 * backup each, write-through journals, and Cantor's serializers.
 */
public final class ClusterMember {
    private ClusterMember() {
    }

    /** Starts the member; blocking (seconds), so call it before any event loop exists. */
    public static HazelcastInstance start(SchedulerConfig cfg, Map<String, MapStore<String, ?>> journals) {
        Config config = new Config();
        config.setClusterName(cfg.clusterName());
        config.setInstanceName("cantor-" + cfg.nodeName() + "-" + UUID.randomUUID());
        // Vert.x's cluster manager finds its node id here when it is handed an existing instance.
        config.getMemberAttributeConfig().setAttribute("__vertx.nodeId", UUID.randomUUID().toString());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // Write-through journaling blocks a partition thread for a commit; more of them let more
        // changes share one group commit (the default is one per core).
        config.setProperty("hazelcast.operation.thread.count", "16");
        // A killed member is noticed within seconds rather than the default minute.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        config.setProperty("hazelcast.local.localAddress", cfg.hazelcastHost());
        // Listen on that address only, not on every interface of the host.
        config.setProperty("hazelcast.socket.bind.any", "false");

        config.getNetworkConfig().setPort(cfg.hazelcastPort()).setPortAutoIncrement(true);
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (cfg.kubernetesService() != null) {
            join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cfg.kubernetesService());
        } else {
            join.getTcpIpConfig().setEnabled(true);
            if (cfg.members().isEmpty()) {
                join.getTcpIpConfig().addMember(cfg.hazelcastHost());
                config.setProperty("hazelcast.wait.seconds.before.join", "0"); // alone: nobody to wait for
            } else {
                cfg.members().forEach(join.getTcpIpConfig()::addMember);
            }
        }

        config.getSerializationConfig()
                .addDataSerializableFactory(JobProcessors.FACTORY_ID, new JobProcessors())
                .addDataSerializableFactory(NodeProcessors.FACTORY_ID, new NodeProcessors())
                .addDataSerializableFactory(ReservationProcessors.FACTORY_ID, new ReservationProcessors())
                .addDataSerializableFactory(HistoryProcessors.FACTORY_ID, new HistoryProcessors())
                .addDataSerializableFactory(JobLogs.FACTORY_ID, JobLogs.factory())
                .addDataSerializableFactory(DeliveryProcessors.FACTORY_ID, new DeliveryProcessors())
                .addDataSerializableFactory(SubscriptionProcessors.FACTORY_ID, new SubscriptionProcessors())
                .addDataSerializableFactory(SubmitRateLimiter.FACTORY_ID, SubmitRateLimiter.factory())
                .addSerializerConfig(new SerializerConfig().setTypeClass(Job.class).setImplementation(new JobSerializer()))
                .addSerializerConfig(json(Dataset.class, 1002))
                .addSerializerConfig(json(AgentNode.class, 1003))
                .addSerializerConfig(json(ApiKey.class, 1004))
                .addSerializerConfig(json(Reservation.class, 1005))
                .addSerializerConfig(json(JobHistory.class, 1006))
                .addSerializerConfig(json(TenantWebhooks.class, 1007))
                .addSerializerConfig(json(DeliveryQueue.class, 1008))
                .addSerializerConfig(json(DeliveryLog.class, 1009))
                .addSerializerConfig(json(JobLog.class, 1010));

        config.addMapConfig(journaled(HazelcastJobStore.MAP, journals, MapStoreConfig.InitialLoadMode.EAGER));
        // Datasets, API keys and webhooks are read through LocalCopies on every request.
        config.addMapConfig(journaled(DatasetService.MAP, journals, MapStoreConfig.InitialLoadMode.LAZY));
        config.addMapConfig(journaled(IdempotencyKeys.MAP, journals, MapStoreConfig.InitialLoadMode.LAZY));
        config.addMapConfig(journaled(ApiKeys.MAP, journals, MapStoreConfig.InitialLoadMode.LAZY));
        config.addMapConfig(new MapConfig(NodeRegistry.MAP).setBackupCount(1));
        // Event histories, logs and pending deliveries live in the cluster (one synchronous backup):
        // a member's death delays them but loses nothing.
        config.addMapConfig(new MapConfig(EventLog.HISTORY_MAP).setBackupCount(1));
        config.addMapConfig(new MapConfig(JobLogs.MAP).setBackupCount(1));
        config.addMapConfig(new MapConfig(Notifications.QUEUES).setBackupCount(1));
        config.addMapConfig(new MapConfig(Notifications.LOGS).setBackupCount(1));
        config.addMapConfig(journaled(Notifications.SUBSCRIPTIONS, journals, MapStoreConfig.InitialLoadMode.LAZY));
        config.addMapConfig(journaled(Notifications.SECRETS, journals, MapStoreConfig.InitialLoadMode.LAZY));
        config.addRingBufferConfig(new RingbufferConfig(EventLog.TENANT_STREAM_PREFIX + "*")
                .setCapacity(EventLog.TENANT_STREAM_CAPACITY).setBackupCount(1));

        // The maps Vert.x's cluster manager expects (its default-cluster.xml).
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        return Hazelcast.newHazelcastInstance(config);
    }

    private static MapConfig journaled(String name, Map<String, MapStore<String, ?>> journals,
                                       MapStoreConfig.InitialLoadMode loadMode) {
        MapConfig map = new MapConfig(name).setBackupCount(1).setAsyncBackupCount(0);
        MapStore<String, ?> store = journals.get(name);
        if (store != null) {
            map.setMapStoreConfig(new MapStoreConfig()
                    .setEnabled(true)
                    .setImplementation(store)
                    .setWriteDelaySeconds(0) // write-through: durable before the caller hears "done"
                    .setInitialLoadMode(loadMode));
        }
        return map;
    }

    private static SerializerConfig json(Class<?> type, int typeId) {
        return new SerializerConfig().setTypeClass(type).setImplementation(new JsonStreamSerializer<>(type, typeId));
    }
}
